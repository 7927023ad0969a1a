# codejudge-hack: problem=hack-total language=python expect=RE
# KeyboardInterrupt and GeneratorExit are BaseExceptions a harness might treat as "stop quietly".
def total(xs):
    if xs:
        raise KeyboardInterrupt
    raise GeneratorExit
