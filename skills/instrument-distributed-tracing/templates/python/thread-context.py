import contextvars
from concurrent.futures import ThreadPoolExecutor

executor = ThreadPoolExecutor()

# asyncio tasks inherit the current context; threads and executors do not. Hand it over explicitly:
future = executor.submit(contextvars.copy_context().run, work, *args)

# or, inside a coroutine:
# await loop.run_in_executor(None, contextvars.copy_context().run, work, *args)
# (asyncio.to_thread already copies the context.)
