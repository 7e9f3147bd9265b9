"""The horn without QtMultimedia: a packaged WAV, an audio command when installed, else the beep.
Nothing here makes a sound: the command is `true`, and `which` is faked."""

from __future__ import annotations

import io
import wave

from hmi.ui.annunciator import BeepPlayer, CommandPlayer, default_player, horn_file, horn_wav


def test_the_horn_is_a_short_mono_wav() -> None:
    with wave.open(io.BytesIO(horn_wav())) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22050)
        assert 0.5 < w.getnframes() / w.getframerate() < 1.5
    path = horn_file()
    assert path.is_file() and path.read_bytes()[:4] == b"RIFF"


def test_default_player_prefers_an_audio_command() -> None:
    found = {"aplay": "/usr/bin/aplay"}
    player = default_player(found.get)
    assert isinstance(player, CommandPlayer) and player.command == ["aplay", "-q"]
    found["paplay"] = "/usr/bin/paplay"
    assert default_player(found.get).command == ["paplay"]  # type: ignore[attr-defined]
    assert isinstance(default_player(lambda _name: None), BeepPlayer)


def test_command_player_runs_one_burst_at_a_time_and_stops(qapp) -> None:
    player = CommandPlayer(["sh", "-c", "sleep 5", "horn"])  # the WAV path lands in $1, unused
    player.play()
    first = player._proc
    assert first is not None
    player.play()  # still playing: not restarted
    assert player._proc is first
    player.stop()
    assert first.poll() is not None and player._proc is None
