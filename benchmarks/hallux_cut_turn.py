"""The big-toe angle on side-view videos made a second way, unlike ``tests/photovideo.py``.

    python benchmarks/hallux_cut_turn.py            # every case (about 4 minutes)
    python benchmarks/hallux_cut_turn.py 003_L_p50_30fps 038_R_p50_hand

``tests/photovideo.py`` turns the hallux by a smooth warp of the whole picture, blended into
the foot near the joint. Here, from the same two marked side-view renders of scanned feet
(``tests/data/feet``, 003 and 038), the hallux is cut out along a line through the MTP point
square to the heel-to-joint line (with the foot's mask), turned about the MTP point as one
rigid piece (``cv2.warpAffine``) and pasted back with a feathered edge; what it uncovers is
filled with real floor copied from elsewhere in the same picture (not a smooth inpaint), and
the wedge that opens under the joint with the toe's own base turned part of the way. The
truth on each frame is the first frame's angle (hand-marked points) plus the turn applied.
Conditions: largest extension 30, 50, 70 deg (up and down over 3 s, still 0.5 s before and
after), left and right feet (the picture mirrored), 24 / 30 / 60 fps, a hand-held camera
(smooth turn and shift of the whole frame, up to 4 px and 0.8 deg), dim light (x0.4, noise of
4 grey levels), 1280x960 and 320x240, and a hand-coloured blob over the toe for half a second.

Each case goes through ``track_video`` and the task registry (quality gates applied, as
``toelab analyze`` gives it) and counts as right (the largest extension and every frame's
angle given within 3 deg), withheld (no figure, with its reason) or wrong (a figure given
more than 3 deg off); the share of frames that carry an angle is printed beside it.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from pathlib import Path

import av
import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

# the truth's angle from the test generators' own formula, apart from toelab's
from photovideo import extension_deg  # noqa: E402

from toelab.analysis.rom import hallux_extension_deg  # noqa: E402
from toelab.errors import ToelabError  # noqa: E402
from toelab.tasks import AnalysisOptions, run_task  # noqa: E402
from toelab.track import parse_points, track_video  # noqa: E402

DATA = ROOT / "tests" / "data" / "feet"
MAX_ANGLE_ERROR_DEG = 3.0


def load_source(key):
    meta = json.loads((DATA / "points.json").read_text())["images"][key]
    assert meta["view"] == "side" and meta["turn_cw_deg"] == 90
    img = cv2.imread(str(DATA / meta["file"]), cv2.IMREAD_COLOR)
    mask = cv2.imread(str(DATA / meta["mask"]), cv2.IMREAD_GRAYSCALE)
    h = img.shape[0]
    img = cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE)
    mask = cv2.rotate(mask, cv2.ROTATE_90_CLOCKWISE) > 127
    # stored (x, y) -> turned 90 deg clockwise: (h - 1 - y, x)
    pts = {k: np.array([h - 1 - v[1], v[0]], float) for k, v in meta["points"].items()}
    return img, mask, pts, meta["foot"]


def rot_about(p, c, deg_ccw):
    """Rotate point p about c by deg counter-clockwise as seen on screen (cv2 convention)."""
    M = cv2.getRotationMatrix2D((float(c[0]), float(c[1])), deg_ccw, 1.0)
    return M @ np.array([p[0], p[1], 1.0])


class Scene:
    def __init__(self, key):
        self.img, self.mask, self.pts, self.foot = load_source(key)
        self.key = key
        H, W = self.mask.shape
        heel, mtp, tip = self.pts["heel"], self.pts["mtp1"], self.pts["hallux_tip"]
        self.L = float(np.linalg.norm(tip - mtp))
        ua = (mtp - heel) / np.linalg.norm(mtp - heel)
        u = ua  # cut line through mtp perpendicular to the heel-mtp line
        yy, xx = np.mgrid[0:H, 0:W]
        d = (xx - mtp[0]) * u[0] + (yy - mtp[1]) * u[1]
        r = np.hypot(xx - mtp[0], yy - mtp[1])
        piece = self.mask & (d > 0) & (r < 1.25 * self.L)
        # keep the component that holds the tip
        n, lab = cv2.connectedComponents(piece.astype(np.uint8))
        ti = lab[int(round(tip[1])), int(round(tip[0]))]
        if ti == 0:
            ti = np.bincount(lab[piece]).argmax()
        self.piece = lab == ti
        self.r = r
        # which way is "toe up" on screen: foot pointing +x -> ccw
        self.up_sign = 1.0 if (mtp - heel)[0] > 0 else -1.0
        self.R = 0.3 * self.L
        self.floor = self._floor_source()

    def _floor_source(self):
        """A copy of the picture shifted so that every pixel the toe may uncover is taken
        from real floor elsewhere (mask free, away from the foot)."""
        H, W = self.mask.shape
        ys, xs = np.nonzero(self.piece)  # only the toe's own place is ever uncovered
        x0, x1 = max(0, xs.min() - 6), min(W, xs.max() + 7)
        y0, y1 = max(0, ys.min() - 6), min(H, ys.max() + 7)
        far = cv2.dilate(self.mask.astype(np.uint8), np.ones((25, 25), np.uint8))
        ii = cv2.integral(far)
        best = None
        for dy in range(-300, 301, 5):
            for dx in range(-500, 501, 5):
                if abs(dx) + abs(dy) < 60:
                    continue
                a0, a1, b0, b1 = x0 + dx, x1 + dx, y0 + dy, y1 + dy
                # allow the patch to leave the frame a little (reflected border)
                if a0 < -20 or b0 < -20 or a1 > W + 20 or b1 > H + 20:
                    continue
                c0, c1, e0, e1 = max(a0, 0), min(a1, W), max(b0, 0), min(b1, H)
                if ii[e1, c1] - ii[e0, c1] - ii[e1, c0] + ii[e0, c0] > 0:
                    continue
                cost = abs(dy) * 3 + abs(dx)  # keep the same depth (rows) if possible
                if best is None or cost < best[0]:
                    best = (cost, dx, dy)
        assert best is not None, "no floor patch found"
        _, dx, dy = best
        self.floor_shift = (dx, dy)
        M = np.float32([[1, 0, dx], [0, 1, dy]])
        # floor[y, x] = img[y + dy, x + dx]
        return cv2.warpAffine(
            self.img, M, (W, H), flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REFLECT
        )

    def render(self, theta):
        """Frame with the hallux raised by theta degrees (toward the dorsum)."""
        H, W = self.mask.shape
        mtp = self.pts["mtp1"]
        img = self.img.astype(np.float32)
        if abs(theta) < 1e-9:
            return self.img.copy(), self.pts["hallux_tip"].copy()
        deg = self.up_sign * theta
        piece8 = self.piece.astype(np.float32)
        # 1) floor over where the toe was (feathered)
        hole = cv2.dilate(self.piece.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(np.float32)
        hole[self.r < self.R * 0.6] = 0  # joint stays skin (covered below anyway)
        a = cv2.GaussianBlur(hole, (0, 0), 1.5)[..., None]
        out = img * (1 - a) + self.floor.astype(np.float32) * a
        # 2) fan near the joint: the toe's base at intermediate angles, within radius R
        steps = max(2, int(abs(theta) / 2))
        near = (self.r < self.R).astype(np.float32)
        for k in range(steps):
            dk = deg * k / steps
            M = cv2.getRotationMatrix2D((float(mtp[0]), float(mtp[1])), dk, 1.0)
            pi = cv2.warpAffine(img, M, (W, H), flags=cv2.INTER_LINEAR)
            pm = cv2.warpAffine(piece8, M, (W, H), flags=cv2.INTER_LINEAR) * near
            pm = cv2.GaussianBlur(pm, (0, 0), 1.0)[..., None]
            out = out * (1 - pm) + pi * pm
        # 3) the toe at its angle, feathered edge
        M = cv2.getRotationMatrix2D((float(mtp[0]), float(mtp[1])), deg, 1.0)
        pi = cv2.warpAffine(img, M, (W, H), flags=cv2.INTER_LINEAR)
        pm = cv2.warpAffine(piece8, M, (W, H), flags=cv2.INTER_LINEAR)
        pm = cv2.GaussianBlur(cv2.erode(pm, np.ones((3, 3), np.uint8)), (0, 0), 1.2)[..., None]
        out = out * (1 - pm) + pi * pm
        tip = rot_about(self.pts["hallux_tip"], mtp, deg)
        return np.clip(out, 0, 255).astype(np.uint8), tip


def motion_profile(t, amp, rest=0.5, move=3.0):
    """0 for `rest` s, up and down over `move` s (raised cosine), 0 after."""
    s = np.clip((t - rest) / move, 0, 1)
    return amp * 0.5 * (1 - np.cos(2 * np.pi * s))


def handheld(n, fps, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / fps

    def smooth(amp):
        f = rng.uniform(0.3, 1.5, 3)
        ph = rng.uniform(0, 2 * np.pi, 3)
        w = rng.uniform(0.5, 1, 3)
        s = sum(wi * np.sin(2 * np.pi * fi * t + pi) for wi, fi, pi in zip(w, f, ph, strict=True))
        return amp * s / np.abs(s).max()

    return smooth(4.0), smooth(3.0), smooth(0.8)  # dx px, dy px, rotation deg


CASES = {}


def case(name, **kw):
    base = dict(
        src="003",
        peak=50.0,
        fps=30.0,
        mirror=False,
        hand=False,
        dim=False,
        size=None,
        occlude=False,
        occl_span=(1.75, 2.25),
        seed=1,
    )
    base.update(kw)
    CASES[name] = base


for src in ("003", "038"):
    for pk in (30, 50, 70):
        case(f"{src}_L_p{pk}_30fps", src=src, peak=pk)
case("003_R_p50_30fps", src="003", mirror=True)
case("038_R_p50_30fps", src="038", mirror=True)
case("003_L_p50_24fps", src="003", fps=24.0)
case("038_L_p50_24fps", src="038", fps=24.0)
case("003_R_p50_60fps", src="003", fps=60.0, mirror=True)
case("038_L_p50_60fps", src="038", fps=60.0)
case("003_L_p50_hand", src="003", hand=True, seed=3)
case("038_R_p50_hand", src="038", hand=True, mirror=True, seed=4)
case("003_R_p50_dim", src="003", dim=True, mirror=True, seed=5)
case("038_L_p50_dim", src="038", dim=True, seed=6)
case("003_L_p50_1280", src="003", size=(1280, 960))
case("038_R_p50_1280", src="038", size=(1280, 960), mirror=True)
case("003_R_p50_320", src="003", size=(320, 240), mirror=True)
case("038_L_p50_320", src="038", size=(320, 240))
case("003_L_p50_occl", src="003", occlude=True, seed=7)
case("038_R_p50_occl", src="038", occlude=True, mirror=True, seed=8)
case("003_L_p30_occl_early", src="003", peak=30, occlude=True, occl_span=(0.6, 1.1), seed=10)
case("038_L_p50_occl_early", src="038", occlude=True, occl_span=(0.9, 1.4), seed=11)
case("038_L_p70_hand_dim_60fps", src="038", peak=70, hand=True, dim=True, fps=60.0, seed=9)


def make(name, c, out):
    sc = Scene(c["src"])
    H, W = sc.mask.shape
    heel, mtp, tip0 = sc.pts["heel"], sc.pts["mtp1"], sc.pts["hallux_tip"]
    a0 = float(extension_deg(heel, mtp, tip0))
    amp = c["peak"] - a0
    fps = c["fps"]
    n = int(round(4.0 * fps))
    t = np.arange(n) / fps
    theta = motion_profile(t, amp)
    rng = np.random.default_rng(c["seed"])
    hx = handheld(n, fps, c["seed"]) if c["hand"] else None
    outW, outH = c["size"] or (W, H)
    s = outW / W
    assert abs(outH / H - s) < 1e-9
    path = out / f"{name}.mp4"
    cont = av.open(str(path), "w")
    st = cont.add_stream("libx264", rate=int(fps) if float(fps).is_integer() else fps)
    st.width, st.height, st.pix_fmt = outW, outH, "yuv420p"
    st.options = {"crf": "20", "preset": "medium", "threads": "1"}
    truth, pts_frames = [], []
    occl_span = c["occl_span"]
    for i in range(n):
        frame, tip = sc.render(theta[i])
        P = np.array([heel, mtp, tip], float)
        if c["occlude"] and occl_span[0] <= t[i] < occl_span[1]:
            frame = draw_hand(frame, mtp, tip, sc.L, rng)
        # whole-frame: mirror, hand-held, scale  (one affine on the frame and the points)
        A = np.eye(3)
        if c["mirror"]:
            A = np.array([[-1, 0, W - 1], [0, 1, 0], [0, 0, 1.0]]) @ A
        if hx is not None:
            dx, dy, rr = hx[0][i], hx[1][i], hx[2][i]
            M = cv2.getRotationMatrix2D((W / 2, H / 2), rr, 1.0)
            M[:, 2] += (dx, dy)
            A = np.vstack([M, [0, 0, 1]]) @ A
        # scale with pixel centres at integers: x' = (x + 0.5) * s - 0.5
        S = np.array([[s, 0, 0.5 * s - 0.5], [0, s, 0.5 * s - 0.5], [0, 0, 1.0]])
        A = S @ A
        frame = cv2.warpAffine(
            frame,
            A[:2],
            (outW, outH),
            flags=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REFLECT,
        )
        P = (A[:2, :2] @ P.T).T + A[:2, 2]
        if c["dim"]:
            f = frame.astype(np.float32) * 0.4 + rng.normal(0, 4, frame.shape)
            frame = np.clip(np.round(f), 0, 255).astype(np.uint8)
        truth.append(a0 + theta[i])
        pts_frames.append(P.tolist())
        # check: truth from transformed points
        chk = float(extension_deg(*P))
        assert abs(chk - truth[-1]) < 1e-6 or abs(abs(chk) - 180) < 1e-3, (chk, truth[-1])
        vf = av.VideoFrame.from_ndarray(frame, format="bgr24")
        for pkt in st.encode(vf):
            cont.mux(pkt)
    for pkt in st.encode():
        cont.mux(pkt)
    cont.close()
    foot = sc.foot if not c["mirror"] else {"left": "right", "right": "left"}[sc.foot]
    P0 = pts_frames[0]
    points = {
        "view": "side",
        "foot": foot,
        "heel": [round(v, 2) for v in P0[0]],
        "mtp1": [round(v, 2) for v in P0[1]],
        "hallux_tip": [round(v, 2) for v in P0[2]],
    }
    return path, points, np.array(truth)


def draw_hand(frame, mtp, tip, L, rng):
    """A hand-coloured blob (a fingertip/hand) over the distal hallux."""
    out = frame.astype(np.float32)
    c = 0.35 * np.asarray(mtp) + 0.65 * np.asarray(tip)
    H, W = frame.shape[:2]
    m = np.zeros((H, W), np.float32)
    ang = math.degrees(math.atan2(tip[1] - mtp[1], tip[0] - mtp[0]))
    cv2.ellipse(m, (int(c[0]), int(c[1])), (int(0.75 * L), int(0.45 * L)), ang, 0, 360, 1.0, -1)
    m = cv2.GaussianBlur(m, (0, 0), 3)[..., None]
    yy = np.mgrid[0:H, 0:W][0].astype(np.float32)
    shade = (0.85 + 0.15 * np.sin(yy / 17.0))[..., None]
    skin = np.array([120, 150, 205], np.float32) * shade + rng.normal(0, 3, (H, W, 1))
    return np.clip(out * (1 - m) + skin * m, 0, 255).astype(np.uint8)


def score(name: str, case_: dict, folder: Path) -> tuple[str, str]:
    """The case's verdict and its line."""
    path, points, truth = make(name, case_, folder)
    foot = points["foot"]
    try:
        recording = track_video(path, parse_points(points)).recording
    except ToelabError as exc:
        return "withheld", f"refused: {exc}"
    angle = np.asarray(
        hallux_extension_deg(*(recording.landmarks[f"{foot}_{p}"] for p in ("heel", "mtp1", "hallux_tip"))),
        float,
    )
    truth = truth[: len(angle)]
    measured = np.isfinite(angle)
    worst = float(np.max(np.abs(angle - truth)[measured])) if measured.any() else math.inf
    result = run_task(recording, AnalysisOptions(task="rom")).by_foot[foot]
    given = result.max_extension_deg
    if given is None or not math.isfinite(given):
        reason = result.quality.reason if result.quality is not None else ""
        verdict, said = "withheld", f"not measured ({reason})"
    else:
        peak_error = abs(given - float(np.max(truth)))
        ok = peak_error <= MAX_ANGLE_ERROR_DEG and worst <= MAX_ANGLE_ERROR_DEG
        verdict, said = ("right" if ok else "wrong"), f"largest {given:.1f} deg"
    line = (
        f"{name:26s} true largest {np.max(truth):5.1f} deg: {said}; angles on {measured.mean():.0%} of "
        f"frames, worst frame {worst:.2f} deg -> {verdict}"
    )
    return verdict, line


def main() -> None:
    names = sys.argv[1:] or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        raise SystemExit(f"unknown case(s) {', '.join(unknown)}; cases: {', '.join(CASES)}")
    started = time.perf_counter()
    tally: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            verdict, line = score(name, CASES[name], Path(tmp))
            print(f"  {line}", flush=True)
            counts = tally.setdefault(CASES[name]["src"], {"right": 0, "withheld": 0, "wrong": 0})
            counts[verdict] += 1
    elapsed = time.perf_counter() - started
    print(f"\nsummary ({elapsed:.0f} s): hallux angle per source, right / withheld / wrong")
    for source, counts in tally.items():
        print(f"  {source}: {counts['right']} / {counts['withheld']} / {counts['wrong']}")


if __name__ == "__main__":
    main()
