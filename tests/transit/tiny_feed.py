"""A tiny GTFS feed written into a temporary folder: an hourly bus (route 5) and a frequency-based one (9).

Route 5 runs daily 07:00-20:00 on the hour from Centre (S1) through Middle (S2, untimed) to the museum (S3),
arriving 45 minutes later. Route 9's one trip is a template repeated every 20 minutes from 06:00 to 08:00.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

FeedFiles = dict[str, str | None]
MakeFeed = Callable[..., Path]


def hourly_stop_times() -> str:
    lines = ["trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type"]
    for hour in range(7, 21):
        trip = f"T{hour:02d}00"
        lines += [
            f"{trip},{hour:02d}:00:00,{hour:02d}:00:00,S1,1,,",
            f"{trip},,,S2,2,,",
            f"{trip},{hour:02d}:45:00,{hour:02d}:45:00,S3,3,,",
        ]
    lines += [
        "F1,10:00:00,10:00:00,S1,1,0,0",
        "F1,10:10:00,10:10:00,S2,2,0,0",
        "F1,10:30:00,10:30:00,S3,3,0,0",
    ]
    return "\n".join(lines) + "\n"


def tiny_feed_files() -> FeedFiles:
    trips = ["route_id,service_id,trip_id,trip_headsign,direction_id"]
    trips += [f"R5,DAILY,T{hour:02d}00,ALZHIR,0" for hour in range(7, 21)]
    trips += ["R9,DAILY,F1,Museum,"]
    return {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA1,Astana Bus,https://example.org,Asia/Almaty\n",
        "stops.txt": (
            "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
            "ST,Centre station,51.10,71.40,1,\n"
            "S1,Centre,51.10,71.40,0,ST\n"
            '"S2","Middle, the ""old"" square",51.08,71.30,,\n'
            "S3,ALZHIR museum,51.02,71.10,0,\n"
        ),
        "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\n"
        "R5,A1,5,Centre - ALZHIR,3\nR9,A1,9,Centre - ALZHIR express,3\n",
        "calendar.txt": (
            "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
            "DAILY,1,1,1,1,1,1,1,20240101,20241231\n"
        ),
        "calendar_dates.txt": "service_id,date,exception_type\nDAILY,20240509,2\nEXTRA,20240510,1\n",
        "trips.txt": "\n".join(trips) + "\n",
        "stop_times.txt": hourly_stop_times(),
        "frequencies.txt": "trip_id,start_time,end_time,headway_secs\nF1,06:00:00,08:00:00,1200\n",
        "shapes.txt": "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nSH,51.1,71.4,1\n",
    }
