using System.Globalization;
using System.Numerics;
using System.Text;
using XmlRpc;

namespace Conformance.Server;

/// <summary>Python's operators on decoded XML-RPC values, as the Python twin's functions apply them.</summary>
/// <remarks>
/// The Python conformance service computes with Python objects: <c>bool</c> is an <c>int</c>, integers never
/// overflow (CPython's marshaller refuses the result instead), <c>+</c> concatenates strings and lists, <c>//</c>
/// floors. Error texts are CPython 3.11's.
/// </remarks>
internal static class PythonOps
{
    /// <summary>The largest integer CPython's marshaller writes (<c>xmlrpc.client.MAXINT</c>).</summary>
    private static readonly BigInteger MaxInt = int.MaxValue;

    /// <summary>The smallest integer CPython's marshaller writes (<c>xmlrpc.client.MININT</c>).</summary>
    private static readonly BigInteger MinInt = int.MinValue;

    /// <summary>A Python <c>int</c> of any size.</summary>
    public static XmlRpcValue Int(BigInteger value) =>
        value < MinInt || value > MaxInt ? XmlRpcValue.FromBigInteger(value) : XmlRpcValue.FromInt32((int)value);

    /// <summary>
    /// A method's result as CPython's marshaller sees it, in the order it writes: an integer outside ±2^31 is refused with
    /// <c>OverflowError: int exceeds XML-RPC limits</c>, a Decimal with <c>TypeError: cannot marshal &lt;class
    /// 'decimal.Decimal'&gt; objects</c>, whichever comes first; CPython's dispatcher turns either into fault 1.
    /// </summary>
    /// <exception cref="PythonOverflowError">An integer does not fit in 32 bits.</exception>
    /// <exception cref="PythonTypeError">A Decimal.</exception>
    public static XmlRpcValue Checked(XmlRpcValue value)
    {
        switch (value.Kind)
        {
            case XmlRpcValueKind.Int or XmlRpcValueKind.I8 or XmlRpcValueKind.BigInteger:
                var integer = value.AsBigInteger();
                return integer < MinInt || integer > MaxInt
                    ? throw new PythonOverflowError("int exceeds XML-RPC limits")
                    : XmlRpcValue.FromInt32((int)integer);
            case XmlRpcValueKind.Array:
                foreach (var item in value.AsArray())
                {
                    Checked(item);
                }

                return value;
            case XmlRpcValueKind.Struct:
                foreach (var member in value.AsStruct())
                {
                    Checked(member.Value);
                }

                return value;
            case XmlRpcValueKind.BigDecimal:
                throw new PythonTypeError("cannot marshal <class 'decimal.Decimal'> objects");
            default:
                return value;
        }
    }

    /// <summary><c>x + y</c>.</summary>
    public static XmlRpcValue Add(XmlRpcValue x, XmlRpcValue y)
    {
        if (TryInteger(x, out var a) && TryInteger(y, out var b))
        {
            return Int(a + b);
        }

        if (TryFloats(x, y, out var f, out var g))
        {
            return XmlRpcValue.FromDouble(f + g);
        }

        if (x.Kind == XmlRpcValueKind.String && y.Kind == XmlRpcValueKind.String)
        {
            return XmlRpcValue.FromString(x.AsString() + y.AsString());
        }

        if (x.Kind == XmlRpcValueKind.Array && y.Kind == XmlRpcValueKind.Array)
        {
            return XmlRpcValue.Array(x.AsArray().Concat(y.AsArray()));
        }

        // A str or list on the left falls back to sequence concatenation, which names the right operand's type.
        if (x.Kind is XmlRpcValueKind.String or XmlRpcValueKind.Array)
        {
            var sequence = x.PythonTypeName;
            throw new PythonTypeError($"can only concatenate {sequence} (not \"{y.PythonTypeName}\") to {sequence}");
        }

        throw Unsupported("+", x, y);
    }

    /// <summary><c>x - y</c>.</summary>
    public static XmlRpcValue Subtract(XmlRpcValue x, XmlRpcValue y)
    {
        if (TryInteger(x, out var a) && TryInteger(y, out var b))
        {
            return Int(a - b);
        }

        if (TryFloats(x, y, out var f, out var g))
        {
            return XmlRpcValue.FromDouble(f - g);
        }

        throw Unsupported("-", x, y);
    }

    /// <summary><c>x * y</c>.</summary>
    public static XmlRpcValue Multiply(XmlRpcValue x, XmlRpcValue y)
    {
        if (TryInteger(x, out var a) && TryInteger(y, out var b))
        {
            return Int(a * b);
        }

        if (TryFloats(x, y, out var f, out var g))
        {
            return XmlRpcValue.FromDouble(f * g);
        }

        if (x.Kind == XmlRpcValueKind.String && TryInteger(y, out var n))
        {
            return XmlRpcValue.FromString(Repeat(x.AsString(), n));
        }

        if (y.Kind == XmlRpcValueKind.String && TryInteger(x, out n))
        {
            return XmlRpcValue.FromString(Repeat(y.AsString(), n));
        }

        if (x.Kind == XmlRpcValueKind.Array && TryInteger(y, out n))
        {
            return Repeat(x, n);
        }

        if (y.Kind == XmlRpcValueKind.Array && TryInteger(x, out n))
        {
            return Repeat(y, n);
        }

        throw Unsupported("*", x, y);
    }

    /// <summary><c>x // y</c> (floor division).</summary>
    public static XmlRpcValue FloorDivide(XmlRpcValue x, XmlRpcValue y)
    {
        if (TryInteger(x, out var a) && TryInteger(y, out var b))
        {
            if (b.IsZero)
            {
                throw new PythonZeroDivisionError("integer division or modulo by zero");
            }

            var quotient = BigInteger.DivRem(a, b, out var remainder);
            if (!remainder.IsZero && (remainder.Sign < 0) != (b.Sign < 0))
            {
                quotient -= 1;
            }

            return Int(quotient);
        }

        if (TryFloats(x, y, out var f, out var g))
        {
            if (g == 0)
            {
                throw new PythonZeroDivisionError("float floor division by zero");
            }

            return XmlRpcValue.FromDouble(Math.Floor(f / g));
        }

        throw Unsupported("//", x, y);
    }

    /// <summary><c>container[key]</c> for a struct (a Python <c>dict</c>).</summary>
    public static XmlRpcValue Item(XmlRpcValue container, string key)
    {
        if (container.Kind == XmlRpcValueKind.Struct)
        {
            return container.TryGetMember(key, out var value) ? value : throw new PythonKeyError(key);
        }

        throw container.Kind switch
        {
            XmlRpcValueKind.Array => new PythonTypeError("list indices must be integers or slices, not str"),
            XmlRpcValueKind.String => new PythonTypeError("string indices must be integers, not 'str'"),
            _ => new PythonTypeError($"'{container.PythonTypeName}' object is not subscriptable"),
        };
    }

    /// <summary><c>container[index]</c> for an array (a Python <c>list</c>; negative indexes count from the end).</summary>
    public static XmlRpcValue Item(XmlRpcValue container, int index)
    {
        if (container.Kind == XmlRpcValueKind.Array)
        {
            var items = container.AsArray();
            var i = index < 0 ? items.Count + index : index;
            return i >= 0 && i < items.Count ? items[i] : throw new PythonIndexError("list index out of range");
        }

        if (container.Kind == XmlRpcValueKind.Struct)
        {
            throw new PythonKeyError(index.ToString(CultureInfo.InvariantCulture));
        }

        throw new PythonTypeError($"'{container.PythonTypeName}' object is not subscriptable");
    }

    /// <summary>The items of an iterable (a list, a dict's keys or a string's characters).</summary>
    public static IEnumerable<XmlRpcValue> Iterate(XmlRpcValue value) => value.Kind switch
    {
        XmlRpcValueKind.Array => value.AsArray(),
        XmlRpcValueKind.Struct => value.AsStruct().Select(m => XmlRpcValue.FromString(m.Key)),
        XmlRpcValueKind.String => value.AsString().Select(c => XmlRpcValue.FromString(c.ToString())),
        _ => throw new PythonTypeError($"'{value.PythonTypeName}' object is not iterable"),
    };

    /// <summary>Python's <c>float(v)</c> for numbers and numeric strings.</summary>
    public static double ToFloat(XmlRpcValue value)
    {
        if (TryFloat(value, out var f))
        {
            return f;
        }

        if (value.Kind == XmlRpcValueKind.String
            && double.TryParse(value.AsString().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out f))
        {
            return f;
        }

        throw value.Kind == XmlRpcValueKind.String
            ? new PythonValueError($"could not convert string to float: '{value.AsString()}'")
            : new PythonTypeError($"float() argument must be a string or a real number, not '{value.PythonTypeName}'");
    }

    /// <summary>Python's <c>int(v)</c> for numbers and decimal strings.</summary>
    public static BigInteger ToInt(XmlRpcValue value)
    {
        if (TryInteger(value, out var i))
        {
            return i;
        }

        if (value.Kind == XmlRpcValueKind.Double)
        {
            var d = value.AsDouble();
            return double.IsFinite(d)
                ? new BigInteger(Math.Truncate(d))
                : throw (double.IsNaN(d) ? new PythonValueError("cannot convert float NaN to integer") : new PythonOverflowError("cannot convert float infinity to integer"));
        }

        if (value.Kind == XmlRpcValueKind.String
            && BigInteger.TryParse(value.AsString().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out i))
        {
            return i;
        }

        throw value.Kind == XmlRpcValueKind.String
            ? new PythonValueError($"invalid literal for int() with base 10: '{value.AsString()}'")
            : new PythonTypeError($"int() argument must be a string, a bytes-like object or a real number, not '{value.PythonTypeName}'");
    }

    /// <summary>Python's <c>str(v)</c>, as an exception message made of a decoded value prints it.</summary>
    public static string Str(XmlRpcValue value) => value.Kind switch
    {
        XmlRpcValueKind.String => value.AsString(),

        // xmlrpc.client.DateTime's str() is the text it was read from; Binary's is its bytes decoded as Latin-1; Decimal's
        // is its text. Everything else (numbers, None, bools, lists and dicts) prints as its repr.
        XmlRpcValueKind.DateTime => value.AsDateTimeText(),
        XmlRpcValueKind.Base64 => Encoding.Latin1.GetString(value.AsBase64().Span),
        XmlRpcValueKind.BigDecimal => value.AsBigDecimalText(),
        _ => value.ToPythonRepr(),
    };

    private static bool TryInteger(XmlRpcValue value, out BigInteger result)
    {
        if (value.IsInteger)
        {
            result = value.AsBigInteger();
            return true;
        }

        if (value.Kind == XmlRpcValueKind.Boolean)
        {
            result = value.AsBoolean() ? BigInteger.One : BigInteger.Zero;
            return true;
        }

        result = default;
        return false;
    }

    // Both operands as floats, once both are numbers: an int too large for a float is Python's OverflowError then, and
    // an operand that is no number the operator's TypeError first (10**400 + {} is a TypeError).
    private static bool TryFloats(XmlRpcValue x, XmlRpcValue y, out double f, out double g)
    {
        if (x.Kind is XmlRpcValueKind.Double || TryInteger(x, out _))
        {
            if (y.Kind is XmlRpcValueKind.Double || TryInteger(y, out _))
            {
                return TryFloat(x, out f) & TryFloat(y, out g);
            }
        }

        f = g = default;
        return false;
    }

    private static bool TryFloat(XmlRpcValue value, out double result)
    {
        if (value.Kind == XmlRpcValueKind.Double)
        {
            result = value.AsDouble();
            return true;
        }

        if (TryInteger(value, out var integer))
        {
            try
            {
                result = XmlRpcValue.FromBigInteger(integer).ToDouble(); // True is 1.0, as in Python
            }
            catch (OverflowException)
            {
                throw new PythonOverflowError("int too large to convert to float");
            }

            return true;
        }

        result = default;
        return false;
    }

    private static string Repeat(string text, BigInteger count) =>
        count <= 0 ? string.Empty : string.Concat(Enumerable.Repeat(text, (int)BigInteger.Min(count, 16 * 1024 * 1024 / Math.Max(1, text.Length))));

    // list * n: the items n times over (the same item objects, as Python's), at most 16 Mi items.
    private static XmlRpcValue Repeat(XmlRpcValue list, BigInteger count)
    {
        var items = list.AsArray();
        var times = count <= 0 || items.Count == 0 ? 0 : (int)BigInteger.Min(count, 16 * 1024 * 1024 / items.Count);
        return XmlRpcValue.Array(Enumerable.Repeat(items, times).SelectMany(static i => i));
    }

    private static PythonTypeError Unsupported(string op, XmlRpcValue x, XmlRpcValue y) =>
        new($"unsupported operand type(s) for {op}: '{x.PythonTypeName}' and '{y.PythonTypeName}'");
}
