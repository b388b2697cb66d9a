"""The baseline a Python developer would reach for: Google OR-Tools' routing solver.

The usual recipe for an orienteering problem with time windows: one vehicle per route from and back to the
depot, a time dimension whose transit is travel plus the origin's visit duration (slack = waiting), each
customer's cumul (its start of service) inside its window, and each customer optional through a disjunction
whose penalty is its score times a factor large enough that a point of score always outweighs any travel
saved. Guided local search runs for the whole time limit.

It works on the benchmark's form only: a MatrixTravel, one window per stop per tour, tours from one depot.
"""

from __future__ import annotations

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from tripwise.core.engine.model import MatrixTravel, Problem

FIRST_SOLUTIONS = {
    "path_cheapest_arc": routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC,
    "parallel_cheapest_insertion": routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION,
    "all_unperformed": routing_enums_pb2.FirstSolutionStrategy.ALL_UNPERFORMED,
}


def solve_ortools(
    problem: Problem, *, time_limit: float, first_solution: str = "path_cheapest_arc"
) -> list[list[int]] | None:
    """Routes as stop indices per tour, in visit order; None when OR-Tools finds no solution."""
    if not isinstance(problem.travel, MatrixTravel):
        raise ValueError("the OR-Tools baseline needs matrix travel times")
    tours = problem.tours
    depot = tours[0].start_node
    if any(tour.start_node != depot or tour.end_node != depot for tour in tours):
        raise ValueError("the OR-Tools baseline needs every tour to start and end at one depot")
    if any(stop.node == depot for stop in problem.stops):
        raise ValueError("the OR-Tools baseline needs the depot to be no stop")
    # Routing nodes: 0 is the depot, 1..n the stops in order.
    times = problem.travel.times
    nodes = [depot, *(stop.node for stop in problem.stops)]
    durations = [0, *(stop.duration for stop in problem.stops)]
    travel = [[times[a][b] for b in nodes] for a in nodes]
    transit = [[travel[i][j] + durations[i] for j in range(len(nodes))] for i in range(len(nodes))]
    horizon = max(tour.latest for tour in tours)

    manager = pywrapcp.RoutingIndexManager(len(nodes), len(tours), 0)
    routing = pywrapcp.RoutingModel(manager)
    # Matrices rather than Python callbacks: the same model, without a Python call per arc evaluation.
    travel_index = routing.RegisterTransitMatrix(travel)
    transit_index = routing.RegisterTransitMatrix(transit)
    routing.SetArcCostEvaluatorOfAllVehicles(travel_index)
    routing.AddDimension(transit_index, horizon, horizon, False, "Time")
    time = routing.GetDimensionOrDie("Time")

    for vehicle, tour in enumerate(tours):
        time.CumulVar(routing.Start(vehicle)).SetRange(tour.earliest, tour.latest)
        time.CumulVar(routing.End(vehicle)).SetRange(tour.earliest, tour.latest)
    # Any route's travel is at most its horizon, so one point of score is worth more than all the travel.
    factor = sum(tour.latest - tour.earliest for tour in tours) + 1
    for position, stop in enumerate(problem.stops, start=1):
        index = manager.NodeToIndex(position)
        windows = stop.windows[0]
        if len(windows) != 1 or any(stop.windows[t] != windows for t in range(len(tours))):
            raise ValueError("the OR-Tools baseline needs one window per stop, the same on every tour")
        time.CumulVar(index).SetRange(windows[0].open, windows[0].close)
        routing.AddDisjunction([index], stop.score * factor)

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = FIRST_SOLUTIONS[first_solution]
    parameters.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    parameters.time_limit.FromMilliseconds(max(1, int(time_limit * 1000)))
    solution = routing.SolveWithParameters(parameters)
    if solution is None:
        return None
    routes: list[list[int]] = []
    for vehicle in range(len(tours)):
        route = []
        index = routing.Start(vehicle)
        index = solution.Value(routing.NextVar(index))
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index) - 1)
            index = solution.Value(routing.NextVar(index))
        routes.append(route)
    return routes
