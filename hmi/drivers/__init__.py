"""Device I/O. Each driver runs on its own thread (or asyncio loop) and reports through callbacks.

Nothing here touches Qt: the UI gets values through services and the one bridge.
"""
