# codejudge-hack: problem=hack-total language=python expect=RE
# Return a list nested 100000 deep, hoping the harness's encoder or comparison blows its stack
# in a way that is mistaken for success. Values nested deeper than the encoding allows are the
# submission's runtime error.
def total(xs):
    value = []
    for _ in range(100000):
        value = [value]
    return value
