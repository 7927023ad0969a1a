"""The warm python runtime (sandbox.h WarmRuntime; docs/ARCHITECTURE.md, "Warm runtimes").

Started once per sandbox slot, inside the sandbox, with a cold python run's environment, as
`python3 -c <this file>`. It imports the standard modules that programs and our harnesses use,
then serves runs: for each one the sandbox's agent makes a process of this one, with the run's
own namespaces, filesystems, limits and seccomp filter, and that process runs the program as
`python3 <script> <args>` or `python3 -c <code> <args>` would have. This process never runs, reads or keeps anything of a run.
"""

import ctypes
import gc
import os
import sys

# Imported once here instead of in every run: what our harnesses import, and the standard modules
# that programs use most. Each run is a copy of this process taken before it runs anything, so a
# module here is as fresh in every run as after its own import; the after-fork hooks (random's
# reseed among them) run in each run's process.
PRELOAD = (
    "abc array bisect builtins collections copy dataclasses datetime decimal enum fractions "
    "functools heapq io itertools json linecache math operator queue random re statistics string "
    "struct threading traceback types typing"
)

AGENT_FD = 6  # sandbox.h kWarmAgentFd


def preload_harness(source):
    """Imports a harness given as this runtime's argument as `import harness` in /box/main.py
    would have from /box/harness.pyc, which the judge compiled from the same source under the
    name /box/harness.py: a run of that harness then finds it loaded."""
    import importlib.machinery
    import types

    module = types.ModuleType("harness")
    module.__file__ = "/box/harness.pyc"
    module.__cached__ = None
    module.__loader__ = importlib.machinery.SourcelessFileLoader("harness", module.__file__)
    sys.modules["harness"] = module
    exec(compile(source, "/box/harness.py", "exec"), module.__dict__)


def serve():
    """Waits for runs; returns in each run's program process, with the agent."""
    agent = ctypes.CDLL("/proc/self/fd/%d" % AGENT_FD)
    agent.cj_warm_arg.restype = ctypes.c_char_p
    agent.cj_warm_env.restype = ctypes.c_char_p
    api = ctypes.pythonapi
    while True:
        if agent.cj_warm_next() != 1:
            os._exit(0)
        api.PyOS_BeforeFork()
        pid = agent.cj_warm_spawn()
        if pid == 0:
            api.PyOS_AfterFork_Child()
            return agent
        api.PyOS_AfterFork_Parent()
        agent.cj_warm_done()


def items(get):
    out = []
    while True:
        item = get(len(out))
        if item is None:
            return out
        out.append(os.fsdecode(item))


def run(agent):
    """Runs what argv names, `python3 SCRIPT ARGS` or `python3 -c CODE ARGS`, as the interpreter
    would have."""
    import builtins
    import importlib.machinery
    import types

    os.environ.clear()
    for var in items(agent.cj_warm_env):
        name, _, value = var.partition("=")
        os.environ[name] = value
    argv = items(agent.cj_warm_arg)
    main = types.ModuleType("__main__")
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    sys.orig_argv = argv
    if argv[1] == "-c":
        filename, text = "<string>", argv[2]
        sys.argv = ["-c"] + argv[3:]
        sys.path[0] = ""
        main.__loader__ = importlib.machinery.BuiltinImporter
    else:
        filename = argv[1]
        sys.argv = argv[1:]
        sys.path[0] = os.path.dirname(filename)
        main.__file__ = filename
        main.__cached__ = None
        main.__loader__ = importlib.machinery.SourceFileLoader("__main__", filename)
        try:
            with open(filename, "rb") as source:
                text = source.read()
        except OSError as error:
            sys.stderr.write("%s: can't open file %r: [Errno %d] %s\n"
                             % (argv[0], filename, error.errno, error.strerror))
            finish(main, 2)
    del agent, argv, builtins, importlib, types
    try:
        code = compile(text, filename, "exec")
    except SyntaxError as error:
        # As the interpreter reports a script that does not compile: no traceback of ours.
        sys.excepthook(type(error), error, None)
        finish(main, 1)
    try:
        exec(code, main.__dict__)
    except SystemExit as stop:
        finish(main, exit_status(stop))
    except BaseException as error:  # noqa: B036 - reported as the interpreter reports it
        # The traceback starts at the script's own frame, as in a cold run.
        error.__traceback__ = error.__traceback__.tb_next
        sys.excepthook(type(error), error, error.__traceback__)
        finish(main, 1)
    finish(main, 0)


def exit_status(stop):
    """The status the interpreter exits with for SystemExit(code), printing what it prints."""
    code = stop.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        print(code, file=sys.stderr)
    except Exception:  # noqa: BLE001 - as the interpreter, which ignores it
        pass
    return 1


def finish(main, status):
    """Ends the run as the interpreter's exit would, for what a program can observe: other
    threads joined, atexit handlers run, the program's globals released (their finalizers run),
    the standard streams flushed. The runtime's own modules are not torn down: that would cost
    more than most programs and copy every page of them into the run."""
    import atexit
    import threading

    threading._shutdown()
    atexit._run_exitfuncs()
    main.__dict__.clear()
    gc.collect()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a stream the program closed or broke
            status = status or 120
    os._exit(status)


for module in PRELOAD.split():
    __import__(module)
del module
if len(sys.argv) > 1:
    preload_harness(sys.argv[1])
# The collector of a run never walks what is here: it would write to every page of it, and
# each page written is copied into the run and counted as the run's memory.
gc.collect()
gc.freeze()
run(serve())
