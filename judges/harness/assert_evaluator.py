"""codejudge's assert-mode evaluator: the verdict is decided outside the submission's process.

Embedded at build time (cmake/Embed.cmake) and run as /box/main.py inside the sandbox; see
docs/SECURITY.md ("Reward integrity") for the model and judges/include/codejudge/judges/harness.h
for the protocol with the judge.

Two processes, one interpreter start:

  evaluator (this process, made non-dumpable first)
      reads only the header of stdin (preamble, submission, entry point, flags), compiles the
      submission (a failure is a compile error), runs the preamble in its own namespace, forks:
  submission process (the child)
      drops every descriptor but its own stdout pipe, stderr and the call channel, runs the
      preamble's namespace plus the submission, and answers calls.

Only after the fork does the evaluator read the tests (the rest of stdin). It runs each test's
code itself, with the entry point and every other name of the submission that the test uses bound
to proxies: a call sends its arguments to the child and gets the result back as data in the typed
encoding below (no pickle, no marshal, no code). Values that are not data (generators, map
objects, instances of the submission's classes) stay in the child and come back as handles, which
the evaluator can call, iterate and read attributes of, but which compare only by identity: an
object's __eq__ never runs on the evaluator's side. The test code, the expected values and the
verdict channel (this process's stdout) are never in the child's memory, files or descriptors.

The evaluator writes framed records to its stdout, which the child cannot reach:
    b"cj <kind> <index> <size>\\n" + <size> bytes of payload
  out  i  what the submission printed to stdout while test i ran (may repeat)
  pass i  test i ran to its end without an exception
  wa   i  test i failed an assertion (payload: why)
  re   i  test i failed otherwise: an exception, the child died or broke the protocol (payload: why)
  ce   0  the submission does not compile (payload: the compiler's message)
  ie   0  the judge's own input is malformed (payload: why); never caused by the submission

The judge byte-compiles this file once (harness.pyc) and runs a two-line main.py that imports it
and calls main(). Everything a run does is in evaluate(stdin_fd, stdout_fd), so a pre-started
interpreter that has imported this module can fork and call it per run.
"""

import builtins
import os
import struct
import sys

# ---------------------------------------------------------------------------------------------
# The typed encoding. A value is a tag byte and its content; sizes are little-endian uint32.
# Both processes use it: the evaluator trusts nothing it decodes, and decodes only into exact
# built-in types, the preamble's classes (with data fields) and handles.

MAX_DEPTH = 200  # nesting of containers in one value
MAX_FRAME_BYTES = 1 << 30  # one message; the sandbox's memory limit is the real bound
PREFETCH_MAX = 1024  # elements a handle iterator asks for at once (doubling from 1)

_U32 = struct.Struct("<I")
_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")
_C128 = struct.Struct("<dd")

_NONE, _TRUE, _FALSE = b"N", b"T", b"F"
_INT, _BIGINT, _FLOAT, _COMPLEX = b"i", b"I", b"f", b"c"
_STR, _BYTES, _BYTEARRAY = b"s", b"b", b"B"
_LIST, _TUPLE, _SET, _FROZENSET, _DICT = b"l", b"t", b"S", b"Z", b"d"
_PACKED = b"A"  # a list or tuple of ints, floats, bools or strs: container, kind, count, data
_PACKED2 = b"W"  # a list or tuple of lists or tuples of those: containers, kind, lengths, data
_COUNTER, _ORDERED, _DEFAULT, _DEQUE = b"C", b"O", b"E", b"Q"
_FRACTION, _DECIMAL, _RANGE = b"R", b"M", b"r"
_KEYS, _VALUES, _ITEMS = b"k", b"v", b"p"
_DATE, _DATETIME, _TIME, _TIMEDELTA, _TIMEZONE = b"y", b"Y", b"h", b"e", b"z"
_NDARRAY, _NPSCALAR = b"n", b"g"
_MATCH, _PATTERN = b"m", b"P"
_INSTANCE = b"o"  # an instance of a preamble class: table index (+ class name when new)
_HANDLE = b"H"  # an object of the sender's: id, capabilities, stdlib name hint
_OWN = b"x"  # an object of the receiver's, handed back: id

# Handle capabilities.
CAN_CALL, CAN_ITER, IS_ITERATOR, HAS_LEN, CAN_INDEX = 1, 2, 4, 8, 16

_KeysType = type({}.keys())
_ValuesType = type({}.values())
_ItemsType = type({}.items())
_SIMPLE_NP_DTYPE_KINDS = "biufcSUmM"  # no object or structured dtypes from the wire
_DEFAULT_FACTORIES = {"int": int, "float": float, "str": str, "list": list, "dict": dict,
                      "set": set, "tuple": tuple, "bool": bool, "frozenset": frozenset}
# Types that cannot be changed in place: an argument of one of these needs no copy-back.
_IMMUTABLE = frozenset((type(None), bool, int, float, complex, str, bytes, range, frozenset))


class ProtocolError(Exception):
    """The peer sent something that is not a valid message or value."""


class _Refused(Exception):
    """A request that gets a ready reply instead of running (the entry point failed)."""

    def __init__(self, reply):
        super().__init__("refused")
        self.reply = reply


class EncodeError(ValueError):
    """A value that cannot be sent (too deep, a dict key that cannot be sent, ...)."""


def _module_of(value):
    return getattr(type(value), "__module__", "")


class Codec:
    """Encodes and decodes values for one peer: its exported objects and proxies."""

    def __init__(self, peer, classes):
        self.peer = peer
        self.classes = classes  # {class: name} of the preamble's classes
        self.classes_by_name = {name: cls for cls, name in classes.items()}

    # -- encoding ------------------------------------------------------------------------------

    def encode(self, value, prefix=b""):
        """The value's bytes (a bytearray), after prefix."""
        state = _EncodeState(self)
        state.parts.extend(prefix)
        state.value(value, 0)
        state.instance_fields()
        return state.parts

    # -- decoding ------------------------------------------------------------------------------

    def decode(self, data, start=0, end=None):
        """The value in data[start:end], which it must fill exactly."""
        end = len(data) if end is None else end
        value, stop = self.decode_prefix(data, start, end)
        if stop != end:
            raise ProtocolError("trailing bytes after a value")
        return value

    def decode_prefix(self, data, start=0, end=None):
        """The value that starts at data[start] (bytes or bytearray), and where it ends."""
        state = _DecodeState(self, data, start, len(data) if end is None else end)
        try:
            value = state.value(0)
            state.instance_fields()
        except (ProtocolError, _Refused):
            raise
        except Exception as exc:
            # Whatever the bytes make fail (a short read, a bad date, an object that refuses
            # its fields) is the sender's fault, never an exception a test could catch.
            raise ProtocolError("a malformed value: %s: %s" % (type(exc).__name__, exc)) from None
        return value, state.pos


_FLIP = bytes.maketrans(b"\0\1", b"\1\0")


def _pack_scalars(v, kinds):
    """(kind code, buffers) for a list of ints (64-bit), floats, bools or strs, or of ints and
    floats mixed, else None; kinds is the set of its elements' types. C-level passes only (no
    Python code runs per element), and the buffers go into the message as they are."""
    from array import array

    if len(kinds) > 1:
        if kinds != {int, float}:
            return None
        # HumanEval/130 returns ints and floats mixed: a byte per element (1 for a float),
        # then the ints and the floats, each in order.
        from itertools import compress, repeat
        from operator import is_

        is_float = bytes(map(is_, map(type, v), repeat(float)))
        try:
            ints = array("q", compress(v, is_float.translate(_FLIP)))
        except OverflowError:
            return None
        return b"m", (is_float, ints, array("d", compress(v, is_float)))
    kind = next(iter(kinds)) if kinds else int
    if kind is int:
        try:
            return b"q", (array("q", v),)
        except OverflowError:
            return None
    if kind is float:
        return b"d", (array("d", v),)
    if kind is bool:
        return b"?", (bytes(v),)
    if kind is str and v:
        joined = "\0".join(v)
        if joined.count("\0") != len(v) - 1:
            return None
        return b"s", (joined.encode("utf-8", "surrogatepass"),)
    return None


class _EncodeState:
    def __init__(self, codec):
        self.codec = codec
        self.parts = bytearray()  # one buffer: a million small bytes objects would cost 5x more
        self.memo = {}  # id(instance) -> table index
        self.queue = []  # instances whose fields are still to be written

    def value(self, v, depth):
        f = _ENCODERS.get(type(v))
        if f is not None:
            f(self, v, depth)
        else:
            self.other(v, depth)

    def text(self, s):
        data = s.encode("utf-8", "surrogatepass")
        self.parts.extend(_U32.pack(len(data)))
        self.parts.extend(data)

    def items(self, tag, v, depth):
        if depth >= MAX_DEPTH:
            raise EncodeError("the value is nested more than %d deep" % MAX_DEPTH)
        append = self.parts.extend
        append(tag + _U32.pack(len(v)))
        # Scalars inline: this loop is where large values spend their time.
        pack_i64, pack_u32, pack_f64, value = _I64.pack, _U32.pack, _F64.pack, self.value
        depth += 1
        for x in v:
            t = type(x)
            if t is int:
                if -9223372036854775808 <= x <= 9223372036854775807:
                    append(b"i" + pack_i64(x))
                    continue
            elif t is str:
                data = x.encode("utf-8", "surrogatepass")
                append(b"s" + pack_u32(len(data)))
                append(data)
                continue
            elif t is float:
                append(b"f" + pack_f64(x))
                continue
            value(x, depth)

    def sequence(self, tag, v, depth):
        if len(v) >= 4 and self.packed(tag, v):
            return
        self.items(tag, v, depth)

    def packed(self, tag, v):
        """A list or tuple of one scalar kind, or of lists or tuples of one scalar kind (a
        matrix, a list of pairs, a board of characters), in a few C-level passes."""
        kinds = set(map(type, v))
        kind = next(iter(kinds)) if len(kinds) == 1 else None
        if kind is list or kind is tuple:
            from itertools import chain

            flat = list(chain.from_iterable(v))
            packed = _pack_scalars(flat, set(map(type, flat)))
            if packed is None:
                return False
            from array import array

            code, buffers = packed
            self.parts.extend(_PACKED2 + tag + (_LIST if kind is list else _TUPLE) + code +
                              _U32.pack(len(v)))
            self.parts.extend(array("I", map(len, v)))
            self.parts.extend(_U32.pack(len(flat)))
            self.buffers(buffers)
            return True
        if len(v) < 8:
            return False
        packed = _pack_scalars(v, kinds)
        if packed is None:
            return False
        code, buffers = packed
        self.parts.extend(_PACKED + tag + code + _U32.pack(len(v)))
        self.buffers(buffers)
        return True

    def buffers(self, buffers):
        """Their total size in bytes, then each of them."""
        self.parts.extend(_U32.pack(sum(memoryview(b).nbytes for b in buffers)))
        for b in buffers:
            self.parts.extend(memoryview(b).cast("B"))

    def mapping(self, tag, v, depth):
        if depth >= MAX_DEPTH:
            raise EncodeError("the value is nested more than %d deep" % MAX_DEPTH)
        self.parts.extend(tag + _U32.pack(len(v)))
        value = self.value
        depth += 1
        for key, item in dict.items(v):
            value(key, depth)
            value(item, depth)

    def big_int(self, v):
        if -(1 << 63) <= v < (1 << 63):
            self.parts.extend(_INT + _I64.pack(v))
        else:
            data = v.to_bytes((v.bit_length() + 8) // 8, "little", signed=True)
            self.parts.extend(_BIGINT + _U32.pack(len(data)))
            self.parts.extend(data)

    def other(self, v, depth):
        t = type(v)
        name = self.codec.classes.get(t)
        if name is not None:
            return self.instance(v, name)
        module = _module_of(v)
        if module == "collections":
            import collections

            if t is collections.Counter:
                return self.mapping(_COUNTER, v, depth)
            if t is collections.OrderedDict:
                return self.mapping(_ORDERED, v, depth)
            if t is collections.defaultdict:
                factory = v.default_factory
                key = None
                for fname, fvalue in _DEFAULT_FACTORIES.items():
                    if factory is fvalue:
                        key = fname
                self.parts.extend(_DEFAULT)
                self.value(key, depth + 1)
                return self.mapping(b"", v, depth)
            if t is collections.deque:
                self.parts.extend(_DEQUE)
                self.value(v.maxlen, depth + 1)
                return self.items(b"", list(v), depth)
        elif module == "fractions" and t is sys.modules["fractions"].Fraction:
            self.parts.extend(_FRACTION)
            self.big_int(v.numerator)
            return self.big_int(v.denominator)
        elif module == "decimal" and t is sys.modules["decimal"].Decimal:
            self.parts.extend(_DECIMAL)
            return self.text(str(v))
        elif module == "datetime":
            if self.datetime_value(v, t):
                return None
        elif module == "numpy":
            if self.numpy_value(v, depth):
                return None
        elif module == "re":
            if self.regex_value(v, t, depth):
                return None
        # Subclasses of data types travel as their base value (a namedtuple as a tuple, an
        # IntEnum as an int), taken with the base type's own methods: what the value is, not
        # how its class behaves.
        for base, plain in _BASE_VALUES:
            if isinstance(v, base):
                return self.value(plain(v), depth)
        return self.handle(v)

    def instance(self, v, name):
        index = self.memo.get(id(v))
        if index is not None:
            self.parts.extend(_INSTANCE + _U32.pack(index))
            return
        index = len(self.queue)
        self.memo[id(v)] = index
        self.queue.append(v)
        self.parts.extend(_INSTANCE + _U32.pack(index))
        self.text(name)

    def instance_fields(self):
        # Breadth first and not recursive, so a linked list of 10^5 nodes needs no deep stack.
        i = 0
        while i < len(self.queue):
            obj = self.queue[i]
            i += 1
            try:
                fields = object.__getattribute__(obj, "__dict__")
            except AttributeError:
                fields = {}
            if type(fields) is not dict:
                raise EncodeError("an instance of %s has no plain __dict__" % type(obj).__name__)
            self.parts.extend(_U32.pack(len(fields)))
            for key, item in fields.items():
                if type(key) is not str:
                    raise EncodeError("an attribute name is not a str")
                self.text(key)
                self.value(item, 1)

    def handle(self, v):
        flags = 0
        t = type(v)
        if callable(v):
            flags |= CAN_CALL
        if hasattr(t, "__iter__"):
            flags |= CAN_ITER
        if hasattr(t, "__next__"):
            flags |= IS_ITERATOR
        if hasattr(t, "__len__"):
            flags |= HAS_LEN
        if hasattr(t, "__getitem__"):
            flags |= CAN_INDEX
        hint = ""
        if t.__name__ == "module":
            hint = "module:" + str(getattr(v, "__name__", ""))
        elif flags & CAN_CALL:
            module = getattr(v, "__module__", None)
            qualname = getattr(v, "__qualname__", None)
            if type(module) is str and type(qualname) is str:
                hint = module + ":" + qualname
        handle_id = self.codec.peer.export(v)
        self.parts.extend(_HANDLE + _U32.pack(handle_id) + _U32.pack(flags))
        self.text(hint)

    def datetime_value(self, v, t):
        import datetime as dt

        if t is dt.date:
            self.parts.extend(_DATE + struct.pack("<HBB", v.year, v.month, v.day))
        elif t is dt.timedelta:
            self.parts.extend(_TIMEDELTA + struct.pack("<iii", v.days, v.seconds, v.microseconds))
        elif t is dt.timezone:
            self.parts.extend(_TIMEZONE)
            self.timezone(v)
        elif t is dt.datetime or t is dt.time:
            if v.tzinfo is not None and type(v.tzinfo) is not dt.timezone:
                return False  # a tz database zone: sent as a handle
            if t is dt.datetime:
                self.parts.extend(_DATETIME + struct.pack("<HBBBBBIB", v.year, v.month, v.day,
                                                          v.hour, v.minute, v.second,
                                                          v.microsecond, v.fold))
            else:
                self.parts.extend(_TIME + struct.pack("<BBBIB", v.hour, v.minute, v.second,
                                                      v.microsecond, v.fold))
            if v.tzinfo is None:
                self.parts.extend(_NONE)
            else:
                self.parts.extend(_TIMEZONE)
                self.timezone(v.tzinfo)
        else:
            return False
        return True

    def timezone(self, tz):
        offset = tz.utcoffset(None)
        self.parts.extend(struct.pack("<iii", offset.days, offset.seconds, offset.microseconds))
        self.text(tz.tzname(None))

    def numpy_value(self, v, depth):
        np = sys.modules["numpy"]
        if type(v) is np.ndarray:
            dtype = v.dtype
            if dtype.kind == "O":
                self.parts.extend(_NDARRAY)
                self.text(dtype.str)
                self.items(b"", [int(n) for n in v.shape], depth)
                self.parts.extend(b"O")
                self.items(b"", list(v.ravel()), depth)
                return True
            if dtype.kind in _SIMPLE_NP_DTYPE_KINDS and dtype.fields is None:
                self.parts.extend(_NDARRAY)
                self.text(dtype.str)
                self.items(b"", [int(n) for n in v.shape], depth)
                data = np.ascontiguousarray(v).tobytes()
                self.parts.extend(b"b" + _U32.pack(len(data)))
                self.parts.extend(data)
                return True
            return False
        if isinstance(v, np.generic) and v.dtype.kind in _SIMPLE_NP_DTYPE_KINDS:
            self.parts.extend(_NPSCALAR)
            self.text(v.dtype.str)
            data = v.tobytes()
            self.parts.extend(_U32.pack(len(data)))
            self.parts.extend(data)
            return True
        return False

    def regex_value(self, v, t, depth):
        import re

        if t is re.Pattern:
            self.parts.extend(_PATTERN)
            self.value(v.pattern, depth + 1)
            self.parts.extend(_U32.pack(v.flags))
            return True
        if t is re.Match:
            self.parts.extend(_MATCH)
            self.value(v.re.pattern, depth + 1)
            self.parts.extend(_U32.pack(v.re.flags))
            self.value(v.string, depth + 1)
            self.parts.extend(struct.pack("<qqqq", v.pos, v.endpos, v.start(), v.end()))
            return True
        return False


def _enc_none(s, v, depth):
    s.parts.extend(_NONE)


def _enc_bool(s, v, depth):
    s.parts.extend(_TRUE if v else _FALSE)


def _enc_int(s, v, depth):
    if -(1 << 63) <= v < (1 << 63):
        s.parts.extend(_INT + _I64.pack(v))
    else:
        s.big_int(v)


def _enc_float(s, v, depth):
    s.parts.extend(_FLOAT + _F64.pack(v))


def _enc_complex(s, v, depth):
    s.parts.extend(_COMPLEX + _C128.pack(v.real, v.imag))


def _enc_str(s, v, depth):
    s.parts.extend(_STR)
    s.text(v)


def _enc_bytes(s, v, depth):
    s.parts.extend(_BYTES + _U32.pack(len(v)))
    s.parts.extend(v)


def _enc_bytearray(s, v, depth):
    s.parts.extend(_BYTEARRAY + _U32.pack(len(v)))
    s.parts.extend(bytes(v))


def _enc_list(s, v, depth):
    s.sequence(_LIST, v, depth)


def _enc_tuple(s, v, depth):
    s.sequence(_TUPLE, v, depth)


def _enc_set(s, v, depth):
    s.items(_SET, v, depth)


def _enc_frozenset(s, v, depth):
    s.items(_FROZENSET, v, depth)


def _enc_dict(s, v, depth):
    s.mapping(_DICT, v, depth)


def _enc_range(s, v, depth):
    s.parts.extend(_RANGE)
    for n in (v.start, v.stop, v.step):
        s.big_int(n)


def _enc_keys(s, v, depth):
    s.items(_KEYS, list(v), depth)


def _enc_values(s, v, depth):
    s.items(_VALUES, list(v), depth)


def _enc_items(s, v, depth):
    s.items(_ITEMS, list(v), depth)


def _enc_proxy(s, v, depth):
    # A proxy stands for an object of the peer's: it goes back as that object.
    if object.__getattribute__(v, "_peer") is not s.codec.peer:
        raise EncodeError("a handle of another channel")
    s.parts.extend(_OWN + _U32.pack(object.__getattribute__(v, "_rid")))


_ENCODERS = {
    type(None): _enc_none, bool: _enc_bool, int: _enc_int, float: _enc_float,
    complex: _enc_complex, str: _enc_str, bytes: _enc_bytes, bytearray: _enc_bytearray,
    list: _enc_list, tuple: _enc_tuple, set: _enc_set, frozenset: _enc_frozenset,
    dict: _enc_dict, range: _enc_range, _KeysType: _enc_keys, _ValuesType: _enc_values,
    _ItemsType: _enc_items,
}
_BASE_VALUES = (
    (int, int.__int__), (float, float.__float__), (complex, lambda v: complex.__complex__(v)),
    (str, str.__str__), (bytes, lambda v: bytes(memoryview(v))), (bytearray, bytearray),
    (list, lambda v: list(list.__iter__(v))), (tuple, lambda v: tuple(tuple.__iter__(v))),
    (dict, lambda v: dict(dict.items(v))), (set, lambda v: set(set.__iter__(v))),
    (frozenset, lambda v: frozenset(frozenset.__iter__(v))))


class _DecodeState:
    def __init__(self, codec, data, start, end):
        if type(data) not in (bytes, bytearray) or not 0 <= start <= end <= len(data):
            raise ProtocolError("a malformed message")
        self.codec = codec
        self.data = data
        self.pos = start
        self.end = end
        self.table = []  # instances, in the order they were first met
        self.filled = 0

    def view(self, n):
        """The next n bytes without a copy."""
        end = self.pos + n
        if n < 0 or end > self.end:
            raise ProtocolError("a value runs past the end of its message")
        chunk = memoryview(self.data)[self.pos:end]
        self.pos = end
        return chunk

    def take(self, n):
        end = self.pos + n
        if n < 0 or end > self.end:
            raise ProtocolError("a value runs past the end of its message")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def unpack(self, st):
        end = self.pos + st.size
        if end > self.end:
            raise ProtocolError("a value runs past the end of its message")
        values = st.unpack_from(self.data, self.pos)
        self.pos = end
        return values

    def u32(self):
        return self.unpack(_U32)[0]

    def count(self):
        # Every element takes at least one byte: a count cannot exceed what is left.
        n = self.u32()
        if n > self.end - self.pos:
            raise ProtocolError("a count larger than its message")
        return n

    def text(self):
        return str(self.take(self.u32()), "utf-8", "surrogatepass")

    def int_value(self):
        tag = self.take(1)
        if tag == _INT:
            return self.unpack(_I64)[0]
        if tag == _BIGINT:
            return int.from_bytes(self.take(self.u32()), "little", signed=True)
        raise ProtocolError("expected an int")

    def value(self, depth):
        if depth > MAX_DEPTH:
            raise ProtocolError("a value nested more than %d deep" % MAX_DEPTH)
        pos = self.pos
        if pos >= self.end:
            raise ProtocolError("a value runs past the end of its message")
        self.pos = pos + 1
        f = _DECODERS.get(self.data[pos])
        if f is None:
            raise ProtocolError("unknown tag %r" % self.data[pos:pos + 1])
        return f(self, depth)

    def elements(self, depth):
        n = self.count()
        data, value = self.data, self.value
        out = []
        append = out.append
        unpack_i64, unpack_f64, unpack_u32 = _I64.unpack_from, _F64.unpack_from, _U32.unpack_from
        depth += 1
        pos, end_of_value = self.pos, self.end
        for _ in range(n):
            if pos + 9 > end_of_value:  # the largest inline element; others are checked below
                self.pos = pos
                append(value(depth))
                pos = self.pos
                continue
            tag = data[pos]
            if tag == 105:  # b"i", inline: this loop is where large values spend their time
                append(unpack_i64(data, pos + 1)[0])
                pos += 9
            elif tag == 102:  # b"f"
                append(unpack_f64(data, pos + 1)[0])
                pos += 9
            elif tag == 115:  # b"s"
                end = pos + 5 + unpack_u32(data, pos + 1)[0]
                if end > end_of_value:
                    raise ProtocolError("a str runs past the end of its message")
                append(str(data[pos + 5:end], "utf-8", "surrogatepass"))
                pos = end
            else:
                self.pos = pos
                append(value(depth))
                pos = self.pos
        self.pos = pos
        return out

    def pairs(self, depth):
        n = self.count()
        value = self.value
        out = {}
        for _ in range(n):
            key = value(depth + 1)
            try:
                out[key] = value(depth + 1)
            except TypeError:
                raise ProtocolError("a dict key that cannot be hashed") from None
        return out

    def instance_fields(self):
        while self.filled < len(self.table):
            obj = self.table[self.filled]
            self.filled += 1
            fields = {}
            for _ in range(self.count()):
                key = self.text()
                if key.startswith("__"):
                    raise ProtocolError("an instance field named %r" % key)
                fields[key] = self.value(1)
            obj.__dict__.update(fields)


def _dec_none(s, depth):
    return None


def _dec_true(s, depth):
    return True


def _dec_false(s, depth):
    return False


def _dec_int(s, depth):
    return s.unpack(_I64)[0]


def _dec_bigint(s, depth):
    return int.from_bytes(s.take(s.u32()), "little", signed=True)


def _dec_float(s, depth):
    return s.unpack(_F64)[0]


def _dec_complex(s, depth):
    real, imag = s.unpack(_C128)
    return complex(real, imag)


def _dec_str(s, depth):
    return s.text()


def _dec_bytes(s, depth):
    return bytes(s.take(s.u32()))


def _dec_bytearray(s, depth):
    return bytearray(s.take(s.u32()))


def _dec_list(s, depth):
    return s.elements(depth)


def _dec_tuple(s, depth):
    return tuple(s.elements(depth))


def _hashable(items, kind):
    try:
        return kind(items)
    except TypeError:
        raise ProtocolError("a set element that cannot be hashed") from None


def _dec_set(s, depth):
    return _hashable(s.elements(depth), set)


def _dec_frozenset(s, depth):
    return _hashable(s.elements(depth), frozenset)


def _dec_dict(s, depth):
    return s.pairs(depth)


def _unpack_scalars(code, count, data):
    """The list that _pack_scalars packed (data: a memoryview of the message)."""
    from array import array

    if code == b"q" or code == b"d":
        if len(data) != 8 * count:
            raise ProtocolError("packed numbers of the wrong size")
        items = array("q" if code == b"q" else "d")
        items.frombytes(data)
        return items.tolist()
    if code == b"?":
        data = bytes(data)
        if len(data) != count or data.strip(b"\0\1"):
            raise ProtocolError("packed bools of the wrong size")
        return list(map(bool, data))
    if code == b"s":
        items = str(data, "utf-8", "surrogatepass").split("\0")
        if len(items) != count or count == 0:
            raise ProtocolError("packed strs of the wrong count")
        return items
    if code == b"m":
        is_float = bytes(data[:count])
        floats = is_float.count(1)
        if len(is_float) != count or is_float.strip(b"\0\1") or (
                len(data) != count + 8 * count):
            raise ProtocolError("packed numbers of the wrong size")
        ints_end = count + 8 * (count - floats)
        ints, reals = array("q"), array("d")
        ints.frombytes(data[count:ints_end])
        reals.frombytes(data[ints_end:])
        sources = (iter(ints.tolist()), iter(reals.tolist()))
        return list(map(next, map(sources.__getitem__, is_float)))
    raise ProtocolError("unknown packed kind")


def _container(tag):
    if tag == _LIST:
        return list
    if tag == _TUPLE:
        return tuple
    raise ProtocolError("unknown packed container")


def _dec_packed(s, depth):
    outer, code = _container(s.take(1)), s.take(1)
    count = s.u32()
    items = _unpack_scalars(code, count, s.view(s.u32()))
    return items if outer is list else tuple(items)


def _dec_packed2(s, depth):
    from array import array
    from itertools import islice, repeat

    outer, inner, code = _container(s.take(1)), _container(s.take(1)), s.take(1)
    rows = s.count()
    lengths = array("I")
    lengths.frombytes(s.take(4 * rows))
    count = s.u32()
    flat = _unpack_scalars(code, count, s.view(s.u32()))
    if sum(lengths) != len(flat):
        raise ProtocolError("packed rows that do not add up")
    it = iter(flat)
    return outer(map(inner, map(islice, repeat(it), lengths)))


def _dec_counter(s, depth):
    import collections

    return collections.Counter(s.pairs(depth))


def _dec_ordered(s, depth):
    import collections

    return collections.OrderedDict(s.pairs(depth))


def _dec_default(s, depth):
    import collections

    key = s.value(depth + 1)
    factory = None
    if key is not None:
        factory = _DEFAULT_FACTORIES.get(key) if type(key) is str else None
        if factory is None:
            raise ProtocolError("an unknown defaultdict factory")
    out = collections.defaultdict(factory)
    out.update(s.pairs(depth))
    return out


def _dec_deque(s, depth):
    import collections

    maxlen = s.value(depth + 1)
    if maxlen is not None and (type(maxlen) is not int or maxlen < 0):
        raise ProtocolError("a bad deque maxlen")
    return collections.deque(s.elements(depth), maxlen)


def _dec_fraction(s, depth):
    import fractions

    numerator, denominator = s.int_value(), s.int_value()
    if denominator <= 0:
        raise ProtocolError("a fraction with a denominator <= 0")
    return fractions.Fraction(numerator, denominator)


def _dec_decimal(s, depth):
    import decimal

    text = s.text()
    try:
        return decimal.Decimal(text)
    except (ArithmeticError, ValueError):
        raise ProtocolError("a malformed Decimal") from None


def _dec_range(s, depth):
    start, stop, step = s.int_value(), s.int_value(), s.int_value()
    if step == 0:
        raise ProtocolError("a range with step 0")
    return range(start, stop, step)


def _dec_keys(s, depth):
    try:
        return dict.fromkeys(s.elements(depth)).keys()
    except TypeError:
        raise ProtocolError("a dict key that cannot be hashed") from None


def _dec_values(s, depth):
    return dict(enumerate(s.elements(depth))).values()


def _dec_items(s, depth):
    items = s.elements(depth)
    if any(type(item) is not tuple or len(item) != 2 for item in items):
        raise ProtocolError("dict items that are not pairs")
    try:
        return dict(items).items()
    except TypeError:
        raise ProtocolError("a dict key that cannot be hashed") from None


def _datetime_call(make, *args, **kwargs):
    try:
        return make(*args, **kwargs)
    except (ValueError, TypeError, OverflowError):
        raise ProtocolError("a malformed date or time") from None


def _dec_date(s, depth):
    import datetime as dt

    return _datetime_call(dt.date, *s.unpack(struct.Struct("<HBB")))


def _dec_timedelta(s, depth):
    import datetime as dt

    days, seconds, micros = s.unpack(struct.Struct("<iii"))
    return _datetime_call(dt.timedelta, days, seconds, micros)


def _timezone(s):
    import datetime as dt

    days, seconds, micros = s.unpack(struct.Struct("<iii"))
    offset = _datetime_call(dt.timedelta, days, seconds, micros)
    name = s.text()
    tz = _datetime_call(dt.timezone, offset)
    return tz if tz.tzname(None) == name else _datetime_call(dt.timezone, offset, name)


def _dec_timezone(s, depth):
    return _timezone(s)


def _optional_timezone(s):
    tag = s.take(1)
    if tag == _NONE:
        return None
    if tag == _TIMEZONE:
        return _timezone(s)
    raise ProtocolError("expected a timezone")


def _dec_datetime(s, depth):
    import datetime as dt

    y, mo, d, h, mi, sec, us, fold = s.unpack(struct.Struct("<HBBBBBIB"))
    tz = _optional_timezone(s)
    return _datetime_call(dt.datetime, y, mo, d, h, mi, sec, us, tz, fold=fold)


def _dec_time(s, depth):
    import datetime as dt

    h, mi, sec, us, fold = s.unpack(struct.Struct("<BBBIB"))
    tz = _optional_timezone(s)
    return _datetime_call(dt.time, h, mi, sec, us, tz, fold=fold)


def _numpy_dtype(s):
    try:
        import numpy as np
    except ImportError:
        raise ProtocolError("a numpy value, but numpy is not installed") from None
    text = s.text()
    try:
        dtype = np.dtype(text)
    except (TypeError, ValueError):
        raise ProtocolError("a malformed numpy dtype") from None
    return np, dtype


def _dec_ndarray(s, depth):
    np, dtype = _numpy_dtype(s)
    shape = s.elements(depth)
    if any(type(n) is not int or n < 0 for n in shape):
        raise ProtocolError("a malformed numpy shape")
    kind = s.take(1)
    try:
        if kind == b"O" and dtype.kind == "O":
            items = s.elements(depth)
            out = np.empty(len(items), dtype=object)
            out[:] = items
            return out.reshape(shape)
        if kind == b"b" and dtype.kind in _SIMPLE_NP_DTYPE_KINDS and dtype.fields is None:
            return np.frombuffer(s.take(s.u32()), dtype=dtype).reshape(shape).copy()
    except ValueError:
        raise ProtocolError("a numpy array whose data does not fit its shape") from None
    raise ProtocolError("an unsupported numpy array")


def _dec_npscalar(s, depth):
    np, dtype = _numpy_dtype(s)
    if dtype.kind not in _SIMPLE_NP_DTYPE_KINDS or dtype.fields is not None:
        raise ProtocolError("an unsupported numpy scalar dtype")
    data = s.take(s.u32())
    if len(data) != dtype.itemsize:
        raise ProtocolError("a numpy scalar of the wrong size")
    return np.frombuffer(data, dtype=dtype)[0]


def _dec_pattern(s, depth):
    import re

    pattern = s.value(depth + 1)
    flags = s.u32()
    if type(pattern) is not str and type(pattern) is not bytes:
        raise ProtocolError("a regex pattern that is not a str or bytes")
    try:
        return re.compile(pattern, flags)
    except (re.error, ValueError, TypeError, OverflowError):
        raise ProtocolError("a regex that does not compile") from None


def _dec_match(s, depth):
    compiled = _dec_pattern(s, depth)
    string = s.value(depth + 1)
    pos, endpos, start, end = s.unpack(struct.Struct("<qqqq"))
    if type(string) is not type(compiled.pattern):
        raise ProtocolError("a match on a string of another type than its pattern")
    # The match is made again here, so it is a real match of that pattern on that string.
    try:
        for method in (compiled.match, compiled.search, compiled.fullmatch):
            found = method(string, pos, endpos)
            if found is not None and found.span() == (start, end):
                return found
            found = method(string, start, endpos)
            if found is not None and found.span() == (start, end):
                return found
    except (ValueError, TypeError, OverflowError):
        pass
    raise ProtocolError("a regex match that the pattern does not make")


def _dec_instance(s, depth):
    index = s.u32()
    if index < len(s.table):
        return s.table[index]
    if index != len(s.table):
        raise ProtocolError("an instance index out of order")
    name = s.text()
    cls = s.codec.classes_by_name.get(name)
    if cls is None:
        raise ProtocolError("an instance of an unknown class %r" % name)
    obj = cls.__new__(cls)
    s.table.append(obj)
    return obj


def _dec_handle(s, depth):
    handle_id, flags = s.u32(), s.u32()
    hint = s.text()
    return s.codec.peer.proxy(handle_id, flags, hint)


def _dec_own(s, depth):
    return s.codec.peer.exported(s.u32())


_DECODERS = {tag[0]: f for tag, f in {
    _NONE: _dec_none, _TRUE: _dec_true, _FALSE: _dec_false, _INT: _dec_int,
    _BIGINT: _dec_bigint, _FLOAT: _dec_float, _COMPLEX: _dec_complex, _STR: _dec_str,
    _BYTES: _dec_bytes, _BYTEARRAY: _dec_bytearray, _LIST: _dec_list, _TUPLE: _dec_tuple,
    _SET: _dec_set, _FROZENSET: _dec_frozenset, _DICT: _dec_dict, _PACKED: _dec_packed,
    _PACKED2: _dec_packed2,
    _COUNTER: _dec_counter, _ORDERED: _dec_ordered, _DEFAULT: _dec_default,
    _DEQUE: _dec_deque, _FRACTION: _dec_fraction, _DECIMAL: _dec_decimal, _RANGE: _dec_range,
    _KEYS: _dec_keys, _VALUES: _dec_values, _ITEMS: _dec_items, _DATE: _dec_date,
    _DATETIME: _dec_datetime, _TIME: _dec_time, _TIMEDELTA: _dec_timedelta,
    _TIMEZONE: _dec_timezone, _NDARRAY: _dec_ndarray, _NPSCALAR: _dec_npscalar,
    _MATCH: _dec_match, _PATTERN: _dec_pattern, _INSTANCE: _dec_instance,
    _HANDLE: _dec_handle, _OWN: _dec_own,
}.items()}


# ---------------------------------------------------------------------------------------------
# The call channel: length-prefixed frames over two pipes, requests that may nest (a call into
# the other process may call back into this one before it answers), exported objects, proxies.

# Requests. Every process serves the first group; only the submission process serves the rest.
_OP_CALL, _OP_ITER, _OP_NEXT, _OP_LEN, _OP_BOOL = b"C", b"I", b"X", b"L", b"B"
_OP_GETATTR, _OP_SETATTR, _OP_GETITEM, _OP_STR, _OP_REPR = b"A", b"T", b"G", b"S", b"P"
_OP_NAMES, _OP_GLOBALS = b"W", b"V"
# A notice without a reply, sent ahead of a test's first request: a new test begins.
_OP_BEGIN = b"N"
# Handle 0 is the entry point of the current test, evaluated when the test first uses it.
ENTRY_HANDLE = 0
# Replies.
_REPLY_VALUE, _REPLY_ARGS, _REPLY_ERROR, _REPLY_FATAL = b"r", b"R", b"e", b"F"
_REPLIES = (_REPLY_VALUE, _REPLY_ARGS, _REPLY_ERROR, _REPLY_FATAL)
# The evaluator answers only these for the objects it exported (callables and iterators that a
# test passed as arguments): attribute reads or repr could reach the test's globals and closures.
_EVALUATOR_SERVES = (_OP_CALL, _OP_ITER, _OP_NEXT, _OP_LEN, _OP_BOOL)
_GENERIC_OPS = (_OP_ITER, _OP_NEXT, _OP_LEN, _OP_BOOL, _OP_GETATTR, _OP_SETATTR, _OP_GETITEM,
                _OP_STR, _OP_REPR)


_FRAME_MAGIC = b"cjF1"  # so that bytes written into the channel by accident fail fast


class SubmissionFailed(BaseException):
    """The submission's process died, exited, broke the protocol or raised SystemExit.

    A BaseException, so that a test's `except Exception` cannot swallow it; the evaluator also
    remembers it (Channel.fatal), so the test fails even when something swallows it anyway."""


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


# The name this file's frames carry in tracebacks (its __file__ is the .pyc when it runs
# byte-compiled): they are left out of what a test's failure shows.
_THIS_FILE = _write_all.__code__.co_filename


def _builtin_exception_name(exc):
    for cls in type(exc).__mro__:
        if getattr(builtins, cls.__name__, None) is cls:
            return cls.__name__
    return "Exception"


class Channel:
    def __init__(self, read_fd, write_fd, classes, resolve_hint=None, serves=None):
        self.read_fd = read_fd
        self.write_fd = write_fd
        self.codec = Codec(self, classes)
        self.resolve_hint = resolve_hint
        self.serves = serves  # None: every request; else the ops this side answers
        self.exports = {}
        self.export_ids = set()  # ids of the exported objects, which exports keeps alive
        self.next_id = 1
        self.inbox = bytearray()
        self.fatal = None  # why the peer can no longer be trusted to answer (evaluator side)

    # -- objects -------------------------------------------------------------------------------

    def export(self, obj):
        handle_id = self.next_id
        self.next_id += 1
        self.exports[handle_id] = obj
        self.export_ids.add(id(obj))
        return handle_id

    def clear_exports(self):
        self.exports.clear()
        self.export_ids.clear()

    def check_target(self, target):
        """The evaluator acts only on objects it handed out itself (a test's callables): never
        on a function the other side names, such as a stdlib one through a hint."""
        if self.serves is not None and id(target) not in self.export_ids:
            raise ProtocolError("a request for an object this process did not send")

    def exported(self, handle_id):
        try:
            return self.exports[handle_id]
        except KeyError:
            raise ProtocolError("a handle that was never sent") from None

    def proxy(self, handle_id, flags, hint):
        if self.resolve_hint is not None and hint:
            resolved = self.resolve_hint(hint)
            if resolved is not None:
                return resolved
        return _proxy_class(flags)(self, handle_id)

    # -- frames --------------------------------------------------------------------------------

    def send(self, message):
        # The header apart: copying a large message to prepend 8 bytes would double it.
        self.write(_FRAME_MAGIC + _U32.pack(len(message)))
        self.write(message)

    def write(self, data):
        _write_all(self.write_fd, data)

    def fill(self):
        """Reads more bytes into the inbox; False at end of file."""
        chunk = os.read(self.read_fd, 1 << 20)
        if not chunk:
            return False
        self.inbox += chunk
        return True

    def recv(self):
        while len(self.inbox) < 8:
            if not self.fill():
                raise EOFError
        if self.inbox[:4] != _FRAME_MAGIC:
            raise ProtocolError("a frame without its magic")
        size = _U32.unpack_from(self.inbox, 4)[0]
        if size == 0 or size > MAX_FRAME_BYTES:
            raise ProtocolError("a frame of %d bytes" % size)
        while len(self.inbox) < 8 + size:
            if not self.fill():
                raise EOFError
        with memoryview(self.inbox) as view:
            message = bytes(view[8:8 + size])
        del self.inbox[:8 + size]
        return message

    # -- requests ------------------------------------------------------------------------------

    def request(self, op, *parts):
        """Sends a request and serves the peer's own requests until the reply comes."""
        self.send(op + b"".join(parts))
        while True:
            message = self.recv()
            if message[:1] in _REPLIES:
                return message
            reply = self.serve(message)
            if reply is not None:
                self.send(reply)

    def serve(self, message):
        """The reply to a request, or None for a notice."""
        op = message[:1]
        if self.serves is not None and op not in self.serves:
            raise ProtocolError("a request this process does not serve: %r" % op)
        try:
            return self.handle(op, message)
        except _Refused as refused:
            return refused.reply

    def handle(self, op, message):
        """The reply to a request (message: its op byte, then its body)."""
        if op == _OP_CALL:
            return self.handle_call(message)
        if op not in _GENERIC_OPS:
            return self.handle_other(op, message)
        args = self.codec.decode(message, 1)
        if type(args) is not tuple or not args:
            raise ProtocolError("a malformed request")
        if op == _OP_NEXT and (len(args) != 2 or type(args[1]) is not int):
            raise ProtocolError("a malformed iteration request")
        if op == _OP_GETATTR and (len(args) != 2 or type(args[1]) is not str):
            raise ProtocolError("a malformed attribute request")
        if op == _OP_SETATTR and (len(args) != 3 or type(args[1]) is not str):
            raise ProtocolError("a malformed attribute request")
        self.check_target(args[0])
        try:
            if op == _OP_NEXT:
                return self.handle_next(args[0], args[1])
            target = args[0]
            if op == _OP_ITER:
                result = iter(target)
            elif op == _OP_LEN:
                result = len(target)
            elif op == _OP_BOOL:
                result = bool(target)
            elif op == _OP_GETATTR:
                result = getattr(target, args[1])
            elif op == _OP_SETATTR:
                result = setattr(target, args[1], args[2])
            elif op == _OP_GETITEM:
                result = target[args[1]]
            elif op == _OP_STR:
                result = str(target)
            else:
                result = repr(target)
        except (ProtocolError, SubmissionFailed):
            raise
        except Exception as exc:
            return self.error_reply(exc)
        except BaseException as exc:
            return self.fatal_reply(exc)
        return self.value_reply(result)

    def handle_other(self, op, message):
        raise ProtocolError("unknown request %r" % op)

    def handle_call(self, message):
        # op, the target's size, the target, then the arguments.
        if len(message) < 5:
            raise ProtocolError("a malformed call")
        args_start = 5 + _U32.unpack_from(message, 1)[0]
        if args_start > len(message):
            raise ProtocolError("a malformed call")
        target = self.codec.decode(message, 5, args_start)
        call = self.codec.decode(message, args_start)
        if (type(call) is not tuple or len(call) != 2 or type(call[0]) is not tuple or
                type(call[1]) is not dict):
            raise ProtocolError("a malformed call")
        args, kwargs = call
        self.check_target(target)
        try:
            result = target(*args, **kwargs)
        except SubmissionFailed:
            raise
        except Exception as exc:
            return self.error_reply(exc)
        except BaseException as exc:
            return self.fatal_reply(exc)
        reply = self.value_reply(result)
        if reply[:1] != _REPLY_VALUE:
            return reply
        # Arguments changed in place go back, so that a test that checks them sees the change.
        if any(type(a) not in _IMMUTABLE for a in args) or any(
                type(a) not in _IMMUTABLE for a in kwargs.values()):
            try:
                after = self.codec.encode((args, kwargs))
            except Exception as exc:
                return self.fatal_reply(exc, "the arguments cannot be sent back")
            if after != memoryview(message)[args_start:]:
                return _REPLY_ARGS + _U32.pack(len(reply) - 1) + reply[1:] + after
        return reply

    def handle_next(self, target, count):
        items = []
        status, error = 0, None
        try:
            for _ in range(max(1, min(count, PREFETCH_MAX))):
                items.append(next(target))
        except StopIteration:
            status = 1
        except SubmissionFailed:
            raise
        except Exception as exc:
            status, error = 2, exc
        except BaseException as exc:
            return self.fatal_reply(exc)
        reply = self.value_reply((items, status))
        if error is not None and reply[:1] == _REPLY_VALUE:
            reply += self.error_reply(error)
        return reply

    def value_reply(self, value):
        try:
            return self.codec.encode(value, _REPLY_VALUE)
        except Exception as exc:
            return self.fatal_reply(exc, "the result cannot be sent")

    def error_reply(self, exc):
        try:
            return self.codec.encode(
                (_builtin_exception_name(exc), _exception_text(exc), _traceback_text(exc)),
                _REPLY_ERROR)
        except Exception as inner:
            return self.fatal_reply(inner, "an exception that cannot be sent")

    def fatal_reply(self, exc, what=None):
        text = _exception_text(exc)
        name = _builtin_exception_name(exc) if isinstance(exc, BaseException) else "?"
        why = "%s: %s: %s" % (what, name, text) if what else "%s: %s" % (name, text)
        return self.codec.encode(why + "\n" + _traceback_text(exc), _REPLY_FATAL)

    # -- the proxies' side ---------------------------------------------------------------------

    def reply_value(self, reply):
        """The value of a reply; raises what the peer raised."""
        kind = reply[:1]
        if kind == _REPLY_VALUE:
            return self.codec.decode(reply, 1)
        if kind == _REPLY_ERROR:
            raise self.remote_exception(reply, 1)
        if kind == _REPLY_FATAL:
            why = self.codec.decode(reply, 1)
            self.fail(why if type(why) is str else "the submission failed")
        raise ProtocolError("an unexpected reply %r" % kind)

    def fail(self, why):
        if self.fatal is None:
            self.fatal = why
        raise SubmissionFailed(why)

    def broken(self, why):
        """The peer answered something impossible. The evaluator's side makes it fatal."""
        raise ProtocolError(why)

    def remote_exception(self, message, start):
        info = self.codec.decode(message, start)
        if (type(info) is not tuple or len(info) != 3 or
                any(type(part) is not str for part in info)):
            raise ProtocolError("a malformed exception")
        name, text, trace = info
        cls = getattr(builtins, name, None)
        if not (isinstance(cls, type) and issubclass(cls, Exception)):
            cls = RuntimeError
        try:
            exc = cls(text)
        except Exception:
            exc = cls.__new__(cls)
            exc.args = (text,)
        exc.codejudge_remote_traceback = trace
        return exc

    def call(self, target, args, kwargs):
        target_blob = self.codec.encode(target)
        args_blob = self.codec.encode((args, kwargs))
        reply = self.request(_OP_CALL, _U32.pack(len(target_blob)), target_blob, args_blob)
        if reply[:1] != _REPLY_ARGS:
            return self.reply_value(reply)
        # The result's size, the result, then the arguments as the call left them.
        if len(reply) < 5:
            self.broken("a malformed reply")
        args_start = 5 + _U32.unpack_from(reply, 1)[0]
        result = self.codec.decode(reply, 5, args_start)
        sent_back = self.codec.decode(reply, args_start)
        if type(sent_back) is not tuple or len(sent_back) != 2:
            self.broken("arguments sent back do not match the call")
        new_args, new_kwargs = sent_back
        if (type(new_args) is not tuple or len(new_args) != len(args) or
                type(new_kwargs) is not dict):
            self.broken("arguments sent back do not match the call")
        for old, new in zip(args, new_args):
            _update_in_place(old, new, self.codec.classes)
        for key, old in kwargs.items():
            if key in new_kwargs:
                _update_in_place(old, new_kwargs[key], self.codec.classes)
        return result

    def op(self, op, *args):
        return self.reply_value(self.request(op, self.codec.encode(args)))

    def next_items(self, target, count):
        reply = self.request(_OP_NEXT, self.codec.encode((target, count)))
        if reply[:1] != _REPLY_VALUE:
            return self.reply_value(reply)
        # A value reply may be followed by the error that ended the iteration.
        value, end = self.codec.decode_prefix(reply, 1)
        rest = reply[end:]
        if (type(value) is not tuple or len(value) != 2 or type(value[0]) is not list or
                value[1] not in (0, 1, 2)):
            raise ProtocolError("a malformed iteration reply")
        items, status = value
        error = None
        if status == 2:
            if rest[:1] != _REPLY_ERROR:
                raise ProtocolError("an iteration error without its exception")
            error = self.remote_exception(reply, end + 1)
        elif len(rest):
            raise ProtocolError("trailing bytes after an iteration reply")
        return items, status, error


def _exception_text(exc):
    try:
        return str(exc)[:2000]
    except BaseException:
        return "?"


def _traceback_text(exc):
    """The traceback without the harness's own frames."""
    try:
        import traceback

        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != _THIS_FILE]
        text = "".join(traceback.format_list(frames))
        return text[-4000:]
    except BaseException:
        return ""


def _update_in_place(old, new, classes):
    t = type(old)
    if t is not type(new) or t in _IMMUTABLE or t is tuple:
        return
    if t is list or t is bytearray:
        old[:] = new
    elif t is set or issubclass(t, dict):
        old.clear()
        old.update(new)
    elif t.__name__ == "deque" and t.__module__ == "collections":
        old.clear()
        old.extend(new)
    elif t in classes:
        old.__dict__.clear()
        old.__dict__.update(new.__dict__)


class _Proxy:
    """An object of the other process. Equality and hashing are by identity: the other
    process's __eq__, arithmetic or ordering never decide anything here."""

    __slots__ = ("_peer", "_rid", "_buffer", "_state", "_error", "_batch", "__weakref__")

    def __init__(self, peer, rid):
        object.__setattr__(self, "_peer", peer)
        object.__setattr__(self, "_rid", rid)
        object.__setattr__(self, "_buffer", [])
        object.__setattr__(self, "_state", 0)
        object.__setattr__(self, "_error", None)
        object.__setattr__(self, "_batch", 1)

    def __getattr__(self, name):
        return self._peer.op(_OP_GETATTR, self, name)

    def __setattr__(self, name, value):
        # A test builds its input from the submission's class (MBPP: root.left = Node(2)).
        self._peer.op(_OP_SETATTR, self, name, value)

    def __delattr__(self, name):
        raise AttributeError("cannot delete attributes of the other process's objects")

    def __bool__(self):
        result = self._peer.op(_OP_BOOL, self)
        if type(result) is not bool:
            self._peer.broken("__bool__ gave a %s" % type(result).__name__)
        return result

    def __str__(self):
        result = self._peer.op(_OP_STR, self)
        if type(result) is not str:
            self._peer.broken("__str__ gave a %s" % type(result).__name__)
        return result

    def __repr__(self):
        result = self._peer.op(_OP_REPR, self)
        if type(result) is not str:
            self._peer.broken("__repr__ gave a %s" % type(result).__name__)
        return result


def _p_call(self, *args, **kwargs):
    return self._peer.call(self, args, kwargs)


def _p_iter(self):
    return self._peer.op(_OP_ITER, self)


def _p_self(self):
    return self


def _p_next(self):
    buffer = self._buffer
    if buffer:
        return buffer.pop()
    if self._state == 2:
        error = self._error
        object.__setattr__(self, "_state", 1)
        object.__setattr__(self, "_error", None)
        raise error
    if self._state == 1:
        raise StopIteration
    # Elements come in batches that double up to PREFETCH_MAX, so a long generator costs few
    # round trips while one that is read only a little is advanced only a little further.
    items, status, error = self._peer.next_items(self, self._batch)
    object.__setattr__(self, "_batch", min(self._batch * 2, PREFETCH_MAX))
    object.__setattr__(self, "_state", status)
    object.__setattr__(self, "_error", error)
    items.reverse()
    buffer.extend(items)
    return _p_next(self)


def _p_len(self):
    result = self._peer.op(_OP_LEN, self)
    if type(result) is not int or result < 0:
        self._peer.broken("__len__ gave %r" % (result,))
    return result


def _p_getitem(self, key):
    return self._peer.op(_OP_GETITEM, self, key)


_PROXY_CLASSES = {}


def _proxy_class(flags):
    cls = _PROXY_CLASSES.get(flags)
    if cls is None:
        ns = {"__slots__": ()}
        if flags & CAN_CALL:
            ns["__call__"] = _p_call
        if flags & IS_ITERATOR:
            ns["__iter__"] = _p_self
            ns["__next__"] = _p_next
        elif flags & CAN_ITER:
            ns["__iter__"] = _p_iter
        if flags & HAS_LEN:
            ns["__len__"] = _p_len
        if flags & CAN_INDEX:
            ns["__getitem__"] = _p_getitem
        cls = type("SubmissionObject", (_Proxy,), ns)
        _PROXY_CLASSES[flags] = cls
        _ENCODERS[cls] = _enc_proxy
    return cls


class _ChannelClosed(Exception):
    """The pipes to the other process broke or reached their end."""


# ---------------------------------------------------------------------------------------------
# The submission process.

class _SubmissionChannel(Channel):
    def __init__(self, read_fd, write_fd, classes, namespace, entry_code, load_error):
        super().__init__(read_fd, write_fd, classes, resolve_hint=_resolve_hint)
        self.namespace = namespace
        self.entry_code = entry_code
        self.load_error = load_error
        self.entry = _MISSING

    def exported(self, handle_id):
        if handle_id != ENTRY_HANDLE:
            return super().exported(handle_id)
        if self.entry is _MISSING:
            # Evaluated once per test, at its first use: "Solution().f" makes a fresh Solution.
            if self.load_error is not None:
                raise _Refused(_REPLY_FATAL + self.codec.encode(self.load_error))
            try:
                self.entry = eval(self.entry_code, self.namespace)
            except Exception as exc:
                raise _Refused(self.error_reply(exc)) from None
            except BaseException as exc:
                raise _Refused(self.fatal_reply(exc)) from None
        return self.entry

    def handle_other(self, op, message):
        if op == _OP_BEGIN:
            # A new test: the previous test's handles and entry point are gone.
            self.clear_exports()
            self.entry = _MISSING
            return None
        if op == _OP_NAMES:
            return self.value_reply([n for n in self.namespace if not n.startswith("__")])
        if op == _OP_GLOBALS:
            names = self.codec.decode(message, 1)
            if type(names) is not list or any(type(n) is not str for n in names):
                raise ProtocolError("malformed names")
            return self.value_reply({n: self.namespace[n] for n in names if n in self.namespace})
        raise ProtocolError("unknown request %r" % op)


def _flush_stdout():
    for stream in (sys.stdout, sys.__stdout__):
        try:
            stream.flush()
        except BaseException:
            pass


_PRCTL = []  # prctl(2), made once (the child inherits it)


def _set_dumpable(value):
    """prctl(PR_SET_DUMPABLE) through _ctypes alone: the ctypes package costs more to import
    than the rest of the evaluator's start."""
    import _ctypes

    if not _PRCTL:
        class Int(_ctypes._SimpleCData):
            _type_ = "i"

        class Function(_ctypes.CFuncPtr):
            _flags_ = _ctypes.FUNCFLAG_CDECL | _ctypes.FUNCFLAG_USE_ERRNO
            _restype_ = Int

        _PRCTL.append(Function(_ctypes.dlsym(_ctypes.dlopen(None, os.RTLD_NOW), "prctl")))
    prctl = _PRCTL[0]
    if prctl(4, value, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
        raise OSError(_ctypes.get_errno(), "prctl(PR_SET_DUMPABLE)")
    if prctl(3, 0, 0, 0, 0) != value:  # PR_GET_DUMPABLE
        raise OSError(0, "prctl(PR_GET_DUMPABLE) disagrees")


_QUIET_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM")


def _set_signals(ignore):
    import _signal as signal  # the module `signal` costs an import of enum and more

    for name in _QUIET_SIGNALS:
        number = getattr(signal, name, None)
        if number is None:
            continue
        if ignore:
            handler = signal.SIG_IGN
        else:
            handler = signal.default_int_handler if name == "SIGINT" else signal.SIG_DFL
        signal.signal(number, handler)


def _close_all_but(keep):
    keep = sorted(set(keep))
    low = 0
    for fd in keep:
        if fd > low:
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, max(os.sysconf("SC_OPEN_MAX"), low + 1))


def _submission_main(chan_r, chan_w, out_w, sink, pre_ns, classes, user_code, entry_code):
    """The child after the fork. Never returns."""
    code = 0
    try:
        # Nothing of the evaluator's may stay reachable: its stdout (the verdict channel) and
        # stdin (the tests, still unread) in particular. stderr stays shared: it is never read
        # as a verdict.
        sys.stdout = sys.__stdout__
        sink.close()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out_w, 1)
        _close_all_but((0, 1, 2, chan_r, chan_w))
        _set_signals(ignore=False)
        _set_dumpable(1)  # the submission may read its own /proc/self/* as usual
        module = type(sys)("solution")
        sys.modules["solution"] = module
        namespace = module.__dict__
        namespace.update(pre_ns)
        load_error = None
        try:
            exec(user_code, namespace)
        except BaseException as exc:
            load_error = "the submission failed while loading: %s: %s\n%s" % (
                type(exc).__name__, _exception_text(exc), _traceback_text(exc))
        # The preamble's classes stay the preamble's, so nodes the submission builds are data.
        for cls, name in classes.items():
            namespace[name] = cls
        _flush_stdout()
        channel = _SubmissionChannel(chan_r, chan_w, classes, namespace, entry_code, load_error)
        while True:
            try:
                message = channel.recv()
            except EOFError:
                break
            reply = channel.serve(message)
            if reply is not None:
                _flush_stdout()
                channel.send(reply)
    except BaseException:
        code = 70
    os._exit(code)


# ---------------------------------------------------------------------------------------------
# The evaluator.

class _HostError(Exception):
    """The judge's own input is malformed: an internal error, never the submission's."""


class Records:
    """The framed verdict records on the evaluator's stdout."""

    def __init__(self, fd):
        self.fd = fd

    def write(self, kind, index, payload=b""):
        if type(payload) is str:
            payload = payload.encode("utf-8", "replace")
        _write_all(self.fd, b"cj %s %d %d\n" % (kind, index, len(payload)) + payload)


class _EvaluatorChannel(Channel):
    """The evaluator's end: waits without ever blocking the child's stdout, and turns anything
    wrong on the child's side into SubmissionFailed."""

    def __init__(self, read_fd, write_fd, classes, out_fd, records, pid):
        super().__init__(read_fd, write_fd, classes, resolve_hint=_resolve_hint,
                         serves=_EVALUATOR_SERVES)
        import select

        self.out_fd = out_fd
        self.records = records
        self.pid = pid
        self.index = 0  # the test whose output the child's stdout is
        self.pending = b""  # a notice that goes out with the next request
        self.names = None  # the submission's global names, asked for once
        os.set_blocking(write_fd, False)
        # Waiting for the channel always relays the child's stdout too, so a child blocked on
        # a full stdout pipe can never stall the call it is answering.
        self.read_poller = select.poll()
        self.read_poller.register(read_fd, select.POLLIN)
        self.read_poller.register(out_fd, select.POLLIN)
        self.write_poller = select.poll()
        self.write_poller.register(write_fd, select.POLLOUT)
        self.write_poller.register(out_fd, select.POLLIN)

    def pump(self):
        """Relays what the child printed; at its end, stops watching its stdout."""
        try:
            chunk = os.read(self.out_fd, 1 << 16)
        except OSError:
            chunk = b""
        if chunk:
            self.records.write(b"out", self.index, chunk)
            return
        self.read_poller.unregister(self.out_fd)
        self.write_poller.unregister(self.out_fd)
        self.out_fd = -1

    def drain(self):
        """Relays what the child printed and has not been read yet."""
        while self.out_fd >= 0 and any(fd == self.out_fd for fd, _ in self.read_poller.poll(0)):
            self.pump()

    def fill(self):
        while True:
            ready = [fd for fd, _ in self.read_poller.poll()]
            if self.out_fd in ready:
                self.pump()
            if self.read_fd in ready:
                try:
                    chunk = os.read(self.read_fd, 1 << 20)
                except OSError as exc:
                    raise _ChannelClosed(str(exc)) from None
                if not chunk:
                    raise _ChannelClosed("end of file")
                self.inbox += chunk
                return True

    def write(self, data):
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self.write_fd, view):]
                continue
            except BlockingIOError:
                pass
            except OSError as exc:
                raise _ChannelClosed(str(exc)) from None
            if any(fd == self.out_fd for fd, _ in self.write_poller.poll()):
                self.pump()

    def recv(self):
        try:
            return super().recv()
        except EOFError:
            raise _ChannelClosed("end of file") from None

    def exchange(self, method, *args):
        if self.fatal is not None:
            raise SubmissionFailed(self.fatal)
        try:
            return method(*args)
        except ProtocolError as exc:
            self.broken(str(exc))
        except _ChannelClosed:
            self.fail(self.ended())

    def broken(self, why):
        self.fail("the submission's process broke the call protocol: %s" % why)

    def ended(self):
        """Why the child stopped answering: its exit status if it has one."""
        import time

        for _ in range(50):
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return "the submission's process ended"
            if pid:
                if os.WIFSIGNALED(status):
                    return "the submission's process was killed by signal %d" % (
                        os.WTERMSIG(status))
                return "the submission's process exited with code %d" % (
                    os.WEXITSTATUS(status))
            time.sleep(0.001)
        return "the submission's process closed the call channel"

    def call(self, target, args, kwargs):
        return self.exchange(super().call, target, args, kwargs)

    def op(self, op, *args):
        return self.exchange(super().op, op, *args)

    def next_items(self, target, count):
        return self.exchange(super().next_items, target, count)

    def begin_test(self):
        """Starts a test; returns its entry point. The notice rides with the test's first
        request, and the entry point is evaluated when the test first uses it: no round trip."""
        self.clear_exports()
        self.pending = _FRAME_MAGIC + _U32.pack(1) + _OP_BEGIN
        return _proxy_class(CAN_CALL)(self, ENTRY_HANDLE)

    def send(self, message):
        if self.pending:
            self.write(self.pending)
            self.pending = b""
        super().send(message)

    def submission_globals(self, names):
        """The values of those of names that the submission defined when it loaded."""
        if self.names is None:
            found = self.exchange(lambda: self.reply_value(self.request(_OP_NAMES)))
            if type(found) is not list or any(type(n) is not str for n in found):
                self.broken("a malformed list of names")
            self.names = frozenset(found)
        wanted = sorted(names & self.names)
        if not wanted:
            return {}
        values = self.exchange(
            lambda: self.reply_value(self.request(_OP_GLOBALS, self.codec.encode(wanted))))
        if type(values) is not dict or not values.keys() <= set(wanted):
            self.broken("malformed values of names")
        return values


# Stdlib modules and builtins that a handle may stand for by name (a module the test uses without
# importing it, a builtin returned as a value): the evaluator's own copy replaces the handle, so
# the submission's monkeypatching of it does not count. Modules with side effects at import time,
# and builtins that run code or reach namespaces, are not among them.
_HINT_MODULES = frozenset((
    "array", "bisect", "builtins", "calendar", "cmath", "collections", "copy", "datetime",
    "decimal", "fractions", "functools", "heapq", "itertools", "json", "math", "numbers",
    "operator", "random", "re", "statistics", "string", "textwrap", "typing", "unicodedata"))
_HINT_BUILTINS = frozenset((
    "abs", "all", "any", "ascii", "bin", "bool", "bytearray", "bytes", "callable", "chr",
    "complex", "dict", "divmod", "enumerate", "filter", "float", "format", "frozenset", "hash",
    "hex", "int", "isinstance", "issubclass", "iter", "len", "list", "map", "max", "min", "next",
    "object", "oct", "ord", "pow", "range", "repr", "reversed", "round", "set", "slice",
    "sorted", "str", "sum", "tuple", "type", "zip"))


def _resolve_hint(hint):
    module_name, _, qualname = hint.partition(":")
    if module_name == "module":
        module_name, qualname = qualname, ""
    if module_name not in _HINT_MODULES:
        return None
    if module_name == "builtins" and qualname not in _HINT_BUILTINS:
        return None
    try:
        import importlib

        value = importlib.import_module(module_name)
        for part in qualname.split(".") if qualname else ():
            if part.startswith("_") or part == "<locals>":
                return None
            value = getattr(value, part)
    except Exception:
        return None
    return value


_BUILTIN_NAMES = frozenset(dir(builtins))


def _names_used(code):
    """Every global or attribute name the code (and the code nested in it) mentions."""
    names, stack = set(), [code]
    while stack:
        code = stack.pop()
        names.update(code.co_names)
        stack.extend(c for c in code.co_consts if type(c) is type(code))
    return names


_MISSING = object()
MAX_MESSAGE_CHARS = 4000


def _describe_failure(exc, test_source=""):
    import linecache
    import traceback

    # The failing line of the test shows in the message.
    linecache.cache["test.py"] = (len(test_source), None, test_source.splitlines(True), "test.py")
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != _THIS_FILE]
    lines = traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    remote = getattr(exc, "codejudge_remote_traceback", None)
    if remote:
        lines.append("raised by the submission:\n" + remote)
    text = "".join(lines)
    return text[-MAX_MESSAGE_CHARS:]


def _read_exact(fd, size):
    parts = []
    while size > 0:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise _HostError("stdin ended inside the header")
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts)


def read_header(fd):
    """Reads exactly the header: "<preamble> <submission> <entry> <flags>\\n" (sizes in bytes,
    flags a number) and the three texts. Nothing after it is read: the tests stay in the pipe
    until the child has been forked."""
    line = b""
    while not line.endswith(b"\n"):
        byte = os.read(fd, 1)
        if not byte or len(line) > 80:
            raise _HostError("the stdin header line is missing or too long")
        line += byte
    fields = line.split()
    if len(fields) != 4 or not all(f.isdigit() for f in fields):
        raise _HostError("malformed stdin header line %r" % line)
    sizes = [int(f) for f in fields]
    texts = [_read_exact(fd, n).decode("utf-8", "surrogateescape") for n in sizes[:3]]
    return texts[0], texts[1], texts[2], sizes[3]


def read_tests(fd):
    """The rest of stdin: per test, its code's size in bytes on a line and then the code."""
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    rest = b"".join(chunks)
    tests = []
    while rest:
        size, newline, rest = rest.partition(b"\n")
        if not newline or not size.isdigit() or int(size) > len(rest):
            raise _HostError("test %d: malformed test framing" % len(tests))
        tests.append(rest[:int(size)].decode("utf-8", "replace"))
        rest = rest[int(size):]
    return tests


FLAG_STOP_AT_FAILURE = 1


def evaluate(stdin_fd=0, stdout_fd=1):
    """One run: reads the header, forks the submission, runs every test. The per-run work of a
    (later) pre-started interpreter: everything before this call may be shared by runs."""
    records = Records(stdout_fd)
    try:
        _set_dumpable(0)
        _set_signals(ignore=True)
        header = read_header(stdin_fd)
    except (_HostError, OSError, ImportError) as exc:
        records.write(b"ie", 0, "evaluator start: %s" % exc)
        return
    preamble, source, entry, flags = header
    try:
        user_code = compile(source, "solution.py", "exec")
    except Exception as exc:
        import traceback

        records.write(b"ce", 0, "".join(traceback.format_exception_only(type(exc), exc)))
        return
    sink = open(os.devnull, "w")
    sys.stdout = sink  # a test's print() must not reach the records
    pre_ns = {"__name__": "solution", "__builtins__": builtins}
    try:
        entry_code = compile(entry, "<entry>", "eval")
        exec(compile(preamble, "preamble.py", "exec"), pre_ns)
    except BaseException as exc:
        records.write(b"ie", 0, "the problem's preamble or entry point: %s" % (
            _describe_failure(exc),))
        return
    classes = {}
    for name, value in pre_ns.items():
        if isinstance(value, type) and value.__module__ == "solution" and value not in classes:
            classes[value] = name
    try:
        chan_down_r, chan_down_w = os.pipe()
        chan_up_r, chan_up_w = os.pipe()
        out_r, out_w = os.pipe()
        pid = os.fork()
    except OSError as exc:
        records.write(b"ie", 0, "cannot start the submission's process: %s" % exc)
        return
    if pid == 0:
        _submission_main(chan_down_r, chan_up_w, out_w, sink, pre_ns, classes, user_code,
                         entry_code)
    os.close(chan_down_r)
    os.close(chan_up_w)
    os.close(out_w)
    try:
        try:
            tests = read_tests(stdin_fd)
        except (_HostError, OSError) as exc:
            records.write(b"ie", 0, str(exc))
            return
        channel = _EvaluatorChannel(chan_up_r, chan_down_w, classes, out_r, records, pid)
        run_tests(channel, records, tests, pre_ns, entry, flags)
    finally:
        try:
            os.kill(pid, 9)
        except OSError:
            pass


def run_tests(channel, records, tests, pre_ns, entry, flags):
    for index, test_source in enumerate(tests):
        channel.index = index
        try:
            test_code = compile(test_source, "test.py", "exec")
        except Exception as exc:
            records.write(b"ie", index, "test %d does not compile: %s" % (index, exc))
            return
        kind, message = run_test(channel, test_code, test_source, pre_ns, entry)
        if channel.fatal is not None and kind == b"pass":
            kind, message = b"re", channel.fatal  # a failure that the test swallowed
        channel.drain()
        records.write(kind, index, message)
        if channel.fatal is not None or (kind != b"pass" and flags & FLAG_STOP_AT_FAILURE):
            return


def run_test(channel, test_code, test_source, pre_ns, entry):
    try:
        candidate = channel.begin_test()
        ns = dict(pre_ns)
        ns["__builtins__"] = builtins
        # The names the test uses that the submission defines (HumanEval's checks call prompt
        # helpers, MBPP's build the submission's classes), never over a builtin or a preamble
        # name.
        wanted = _names_used(test_code) - _BUILTIN_NAMES - pre_ns.keys() - {entry}
        if wanted:
            ns.update(channel.submission_globals(wanted))
        if "." not in entry:
            ns[entry] = candidate
        check_before = ns.get("check", _MISSING)
        exec(test_code, ns)
        check = ns.get("check", _MISSING)
        if check is not check_before and check is not _MISSING:
            check(candidate)
    except SubmissionFailed as exc:
        return b"re", str(exc)
    except AssertionError as exc:
        return b"wa", _describe_failure(exc, test_source)
    except BaseException as exc:
        return b"re", _describe_failure(exc, test_source)
    return b"pass", b""


def main():
    """The run: /box/main.py imports this module (byte-compiled) and calls main()."""
    code = 0
    try:
        evaluate()
    except BaseException:
        # No verdict for the tests left: the judge takes the run's status for them (never a
        # pass, never an internal error: see harness.h).
        code = 1
        try:
            import traceback

            traceback.print_exc()
        except BaseException:
            pass
    # _exit: nothing left over (threads, atexit handlers) may run or print after the records.
    os._exit(code)


if __name__ == "__main__":
    main()
