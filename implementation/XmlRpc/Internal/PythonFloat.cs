using System.Globalization;

namespace XmlRpc.Internal;

/// <summary>Python's <c>repr(float)</c> and <c>float(str)</c>.</summary>
internal static class PythonFloat
{
    /// <summary>Enough for every repr (the longest is 24 characters: <c>-2.2250738585072014e-308</c>).</summary>
    public const int MaxReprLength = 32;

    public static string Repr(double value)
    {
        Span<byte> buffer = stackalloc byte[MaxReprLength];
        var n = FormatRepr(value, buffer);
        return string.Create(n, buffer[..n].ToArray(), static (span, bytes) =>
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                span[i] = (char)bytes[i];
            }
        });
    }

    /// <summary>
    /// Python <c>repr()</c>: the shortest digits that round-trip; exponent form when the decimal exponent is
    /// below -4 or at least 16 (CPython <c>format_float_short</c>, mode 'r': <c>decpt &lt;= -4 || decpt &gt; 16</c>);
    /// <c>inf</c>, <c>-inf</c>, <c>nan</c>.
    /// </summary>
    /// <returns>The number of ASCII bytes written (at most <see cref="MaxReprLength"/>).</returns>
    public static int FormatRepr(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            return Literal(value, destination);
        }

        Span<byte> digits = stackalloc byte[32];
        var negative = ShortestDigits(value, digits, out var count, out var decpt);
        var pos = 0;
        if (negative)
        {
            destination[pos++] = (byte)'-';
        }

        if (decpt <= -4 || decpt > 16)
        {
            destination[pos++] = digits[0];
            if (count > 1)
            {
                destination[pos++] = (byte)'.';
                digits[1..count].CopyTo(destination[pos..]);
                pos += count - 1;
            }

            var exp = decpt - 1;
            destination[pos++] = (byte)'e';
            destination[pos++] = exp < 0 ? (byte)'-' : (byte)'+';
            exp = Math.Abs(exp);
            if (exp >= 100)
            {
                destination[pos++] = (byte)('0' + (exp / 100));
            }

            destination[pos++] = (byte)('0' + (exp / 10 % 10));
            destination[pos++] = (byte)('0' + (exp % 10));
            return pos;
        }

        return pos + Positional(digits[..count], decpt, destination[pos..]);
    }

    /// <summary>The same digits without an exponent (the XML-RPC specification's form); non-finite values are refused by the caller.</summary>
    /// <returns>The number of ASCII bytes written; <paramref name="destination"/> needs 330 bytes.</returns>
    public static int FormatPositional(double value, Span<byte> destination)
    {
        Span<byte> digits = stackalloc byte[32];
        var negative = ShortestDigits(value, digits, out var count, out var decpt);
        var pos = 0;
        if (negative)
        {
            destination[pos++] = (byte)'-';
        }

        return pos + Positional(digits[..count], decpt, destination[pos..]);
    }

    private static int Positional(ReadOnlySpan<byte> digits, int decpt, Span<byte> destination)
    {
        var pos = 0;
        if (decpt <= 0)
        {
            destination[pos++] = (byte)'0';
            destination[pos++] = (byte)'.';
            destination.Slice(pos, -decpt).Fill((byte)'0');
            pos += -decpt;
            digits.CopyTo(destination[pos..]);
            return pos + digits.Length;
        }

        if (decpt >= digits.Length)
        {
            digits.CopyTo(destination);
            pos = digits.Length;
            destination.Slice(pos, decpt - digits.Length).Fill((byte)'0');
            pos = decpt;
            destination[pos++] = (byte)'.';
            destination[pos++] = (byte)'0';
            return pos;
        }

        digits[..decpt].CopyTo(destination);
        pos = decpt;
        destination[pos++] = (byte)'.';
        digits[decpt..].CopyTo(destination[pos..]);
        return pos + digits.Length - decpt;
    }

    private static int Literal(double value, Span<byte> destination)
    {
        ReadOnlySpan<byte> text = double.IsNaN(value) ? "nan"u8 : value > 0 ? "inf"u8 : "-inf"u8;
        text.CopyTo(destination);
        return text.Length;
    }

    /// <summary>
    /// The shortest round-trip significant digits (no leading or trailing zeros; "0" for zero) and the
    /// decimal point position: value = 0.d1d2...dn × 10^decpt.
    /// </summary>
    /// <returns>True when the sign bit is set (so <c>-0.0</c> keeps its sign).</returns>
    private static bool ShortestDigits(double value, Span<byte> digits, out int count, out int decpt)
    {
        // .NET Core 3.0+ "R" is the shortest round-trippable string; only its layout differs from Python's.
        Span<char> text = stackalloc char[40];
        value.TryFormat(text, out var n, "R", CultureInfo.InvariantCulture);
        text = text[..n];
        var negative = double.IsNegative(value);
        var i = text.Length > 0 && text[0] == '-' ? 1 : 0;
        count = 0;
        var intDigits = 0;
        var seenPoint = false;
        var exponent = 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                seenPoint = true;
            }
            else if (c is 'E' or 'e')
            {
                exponent = int.Parse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                digits[count++] = (byte)c;
                if (!seenPoint)
                {
                    intDigits++;
                }
            }
        }

        decpt = intDigits + exponent;
        var lead = 0;
        while (lead < count && digits[lead] == '0')
        {
            lead++;
        }

        if (lead == count)
        {
            digits[0] = (byte)'0';
            count = 1;
            decpt = 1;
            return negative;
        }

        if (lead > 0)
        {
            digits[lead..count].CopyTo(digits);
            count -= lead;
            decpt -= lead;
        }

        while (count > 1 && digits[count - 1] == '0')
        {
            count--;
        }

        return negative;
    }

    /// <summary>
    /// Python <c>float(text)</c>: surrounding whitespace, a sign, <c>_</c> between digits, Unicode decimal
    /// digits, <c>inf</c>/<c>infinity</c>/<c>nan</c> in any case.
    /// </summary>
    /// <remarks>
    /// Text of any length is read, as by CPython's <c>float()</c> (a huge exponent gives <c>inf</c> or <c>0.0</c>, a long
    /// mantissa is correctly rounded): .NET's parser is linear in the length, and the parser's document limit bounds it.
    /// </remarks>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        text = PythonText.Strip(text);
        if (text.IsEmpty)
        {
            return false;
        }

        Span<char> ascii = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        var n = 0;
        var i = 0;
        var sign = 1.0;
        if (text[0] is '+' or '-')
        {
            sign = text[0] == '-' ? -1.0 : 1.0;
            ascii[n++] = text[0];
            i = 1;
        }

        var rest = text[i..];
        if (rest.Equals("inf", StringComparison.OrdinalIgnoreCase) || rest.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }

        if (rest.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        // [digitpart] [. [digitpart]] [e [sign] digitpart], with at least one digit in the mantissa.
        var mantissaDigits = 0;
        if (!DigitPart(text, ref i, ascii, ref n, ref mantissaDigits, optional: true))
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            ascii[n++] = '.';
            i++;
            if (!DigitPart(text, ref i, ascii, ref n, ref mantissaDigits, optional: true))
            {
                return false;
            }
        }

        if (mantissaDigits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            ascii[n++] = 'e';
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                ascii[n++] = text[i++];
            }

            var expDigits = 0;
            if (!DigitPart(text, ref i, ascii, ref n, ref expDigits, optional: false))
            {
                return false;
            }
        }

        if (i != text.Length)
        {
            return false;
        }

        return double.TryParse(ascii[..n], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>digit (["_"] digit)*; copies ASCII digits into <paramref name="ascii"/>.</summary>
    private static bool DigitPart(ReadOnlySpan<char> text, ref int i, Span<char> ascii, ref int n, ref int digits, bool optional)
    {
        var start = digits;
        while (i < text.Length)
        {
            var d = PythonText.DecimalDigit(text, i, out var width);
            if (d >= 0)
            {
                ascii[n++] = (char)('0' + d);
                digits++;
                i += width;
                continue;
            }

            if (text[i] == '_' && digits > start && i + 1 < text.Length && PythonText.DecimalDigit(text, i + 1, out _) >= 0)
            {
                i++;
                continue;
            }

            break;
        }

        return optional || digits > start;
    }
}
