"""Video (or live frames) to toe tracks: points, optical-flow tracking, overlays."""

from toelab.track.overlay import write_overlay
from toelab.track.points import FootPoints, Proposal, load_points, parse_points, propose_points
from toelab.track.tracker import FrameState, PointState, ToeTracker
from toelab.track.video import TrackResult, track_video

__all__ = [
    "FootPoints",
    "FrameState",
    "PointState",
    "Proposal",
    "ToeTracker",
    "TrackResult",
    "load_points",
    "parse_points",
    "propose_points",
    "track_video",
    "write_overlay",
]
