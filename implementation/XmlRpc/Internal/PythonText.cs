using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace XmlRpc.Internal;

/// <summary>Python's text-to-number rules: <c>str.strip()</c>, <c>int(str)</c>, <c>decimal.Decimal(str)</c>.</summary>
internal static class PythonText
{
    public enum IntResult
    {
        Ok,
        Invalid,
        TooManyDigits,
    }

    /// <summary>Python <c>str.isspace()</c>: .NET white space plus U+001C..U+001F.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001c' and <= '\u001f';

    /// <summary>Python <c>str.strip()</c>.</summary>
    public static ReadOnlySpan<char> Strip(ReadOnlySpan<char> s)
    {
        var start = 0;
        while (start < s.Length && IsSpace(s[start]))
        {
            start++;
        }

        var end = s.Length;
        while (end > start && IsSpace(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    /// <summary>The value of a Unicode decimal digit (category Nd, astral planes included) at <paramref name="i"/>, or -1.</summary>
    public static int DecimalDigit(ReadOnlySpan<char> s, int i, out int width)
    {
        var c = s[i];
        width = 1;
        if (c is >= '0' and <= '9')
        {
            return c - '0';
        }

        if (c < 0x80)
        {
            return -1;
        }

        if (Rune.DecodeFromUtf16(s[i..], out var rune, out width) != OperationStatus.Done)
        {
            width = 1;
            return -1;
        }

        return Rune.GetUnicodeCategory(rune) == UnicodeCategory.DecimalDigitNumber ? (int)Rune.GetNumericValue(rune) : -1;
    }

    /// <summary>
    /// Python <c>int(text)</c> in base 10: surrounding whitespace, a sign, leading zeros, <c>_</c> between
    /// digits and Unicode decimal digits are accepted; more than <paramref name="maxDigits"/> digits are refused
    /// (CPython's <c>sys.int_info.default_max_str_digits</c>, CVE-2020-10735).
    /// </summary>
    /// <remarks>
    /// CPython's order: the run of digits is read first (a misplaced <c>_</c> in it is an invalid literal), then the limit
    /// is checked against the digits of that run (<paramref name="digits"/>), then what follows it must be the end.
    /// </remarks>
    public static IntResult ParseInt(ReadOnlySpan<char> text, int maxDigits, out long small, out BigInteger big, out bool isBig, out int digits)
    {
        small = 0;
        big = default;
        isBig = false;
        text = Strip(text);
        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }

        digits = 0;
        var overflow = false;
        ulong acc = 0;
        StringBuilder? all = null;
        while (i < text.Length)
        {
            var d = DecimalDigit(text, i, out var width);
            if (d < 0)
            {
                if (text[i] != '_')
                {
                    return digits > maxDigits ? IntResult.TooManyDigits : IntResult.Invalid;
                }

                if (digits > 0 && i + 1 < text.Length && DecimalDigit(text, i + 1, out _) >= 0)
                {
                    i++;
                    continue;
                }

                return IntResult.Invalid;
            }

            i += width;
            if (++digits > maxDigits)
            {
                // Past the limit: the run is counted to its end, nothing more is kept.
                continue;
            }

            if (!overflow)
            {
                if (acc > (ulong.MaxValue - 9) / 10)
                {
                    overflow = true;
                    all = new StringBuilder(text.Length);
                    all.Append(acc.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    acc = (acc * 10) + (ulong)d;
                    continue;
                }
            }

            all!.Append((char)('0' + d));
        }

        if (digits == 0)
        {
            return IntResult.Invalid;
        }

        if (digits > maxDigits)
        {
            return IntResult.TooManyDigits;
        }

        if (!overflow)
        {
            if (!negative && acc <= long.MaxValue)
            {
                small = (long)acc;
                return IntResult.Ok;
            }

            if (negative && acc <= 9223372036854775808UL)
            {
                small = acc == 9223372036854775808UL ? long.MinValue : -(long)acc;
                return IntResult.Ok;
            }

            big = negative ? -new BigInteger(acc) : new BigInteger(acc);
            isBig = true;
            return IntResult.Ok;
        }

        big = BigInteger.Parse(all!.ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
        if (negative)
        {
            big = -big;
        }

        isBig = true;
        return IntResult.Ok;
    }

    /// <summary>
    /// Python <c>str(decimal.Decimal(text))</c>: validates the decimal syntax Python accepts and returns its
    /// canonical text (to-scientific-string of the General Decimal Arithmetic specification).
    /// </summary>
    /// <remarks>
    /// Underscores follow CPython's C <c>_decimal</c> (the default module; <c>numeric_as_ascii</c>): after white space
    /// is stripped from both ends, every <c>_</c> is dropped wherever it is, so <c>_1</c>, <c>1_</c>, <c>1__0</c>,
    /// <c>6E34_</c> and <c>nan_1</c> are valid and <c>_</c> alone is not (the pure-Python <c>_pydecimal</c> is stricter).
    /// </remarks>
    public static bool TryCanonicalDecimal(ReadOnlySpan<char> text, out string canonical)
    {
        canonical = string.Empty;
        text = Strip(text);
        if (text.Contains('_'))
        {
            text = text.ToString().Replace("_", string.Empty, StringComparison.Ordinal);
        }

        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }

        var sign = negative ? "-" : string.Empty;
        var rest = text[i..];
        if (rest.Equals("inf", StringComparison.OrdinalIgnoreCase) || rest.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            canonical = sign + "Infinity";
            return true;
        }

        var signaling = rest.StartsWith("snan", StringComparison.OrdinalIgnoreCase);
        if (signaling || rest.StartsWith("nan", StringComparison.OrdinalIgnoreCase))
        {
            var payload = new StringBuilder();
            var k = signaling ? 4 : 3;
            while (k < rest.Length)
            {
                var d = DecimalDigit(rest, k, out var width);
                if (d < 0)
                {
                    return false;
                }

                payload.Append((char)('0' + d));
                k += width;
            }

            var p = payload.ToString().TrimStart('0');
            canonical = sign + (signaling ? "sNaN" : "NaN") + p;
            return true;
        }

        var coefficient = new StringBuilder();
        var fractionDigits = 0;
        var mantissaDigits = 0;
        if (!DecimalDigits(text, ref i, coefficient, ref mantissaDigits))
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            var before = mantissaDigits;
            if (!DecimalDigits(text, ref i, coefficient, ref mantissaDigits))
            {
                return false;
            }

            fractionDigits = mantissaDigits - before;
        }

        if (mantissaDigits == 0)
        {
            return false;
        }

        long exponent = 0;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            var expNegative = false;
            if (i < text.Length && text[i] is '+' or '-')
            {
                expNegative = text[i] == '-';
                i++;
            }

            var expText = new StringBuilder();
            var expDigits = 0;
            if (!DecimalDigits(text, ref i, expText, ref expDigits) || expDigits == 0 || expDigits > 18)
            {
                return false;
            }

            exponent = long.Parse(expText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
            if (expNegative)
            {
                exponent = -exponent;
            }
        }

        if (i != text.Length)
        {
            return false;
        }

        exponent -= fractionDigits;
        var c = coefficient.ToString().TrimStart('0');
        if (c.Length == 0)
        {
            c = "0";
        }

        var adjusted = exponent + (c.Length - 1);
        string body;
        if (exponent <= 0 && adjusted >= -6)
        {
            if (exponent == 0)
            {
                body = c;
            }
            else if (c.Length > -exponent)
            {
                var point = (int)(c.Length + exponent);
                body = string.Concat(c.AsSpan(0, point), ".", c.AsSpan(point));
            }
            else
            {
                body = "0." + new string('0', (int)(-exponent - c.Length)) + c;
            }
        }
        else
        {
            body = (c.Length > 1 ? string.Concat(c.AsSpan(0, 1), ".", c.AsSpan(1)) : c)
                + "E" + (adjusted >= 0 ? "+" : "-") + Math.Abs(adjusted).ToString(CultureInfo.InvariantCulture);
        }

        canonical = sign + body;
        return true;
    }

    private static bool DecimalDigits(ReadOnlySpan<char> text, ref int i, StringBuilder into, ref int count)
    {
        while (i < text.Length)
        {
            var d = DecimalDigit(text, i, out var width);
            if (d < 0)
            {
                break;
            }

            into.Append((char)('0' + d));
            count++;
            i += width;
        }

        return true;
    }

    /// <summary>Python's <c>repr(str)</c>: single quotes unless the text has <c>'</c> and no <c>"</c>; backslash escapes for the quote, <c>\\</c>, <c>\t \n \r</c> and characters that are not printable.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">Cut the repr to this many characters, as <c>%.200R</c> does in CPython's C formatting.</param>
    public static string Repr(string text, int maxLength = int.MaxValue)
    {
        var quote = text.Contains('\'') && !text.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            if (c == quote || c == '\\')
            {
                sb.Append('\\').Append((char)c);
            }
            else if (c == '\t')
            {
                sb.Append("\\t");
            }
            else if (c == '\n')
            {
                sb.Append("\\n");
            }
            else if (c == '\r')
            {
                sb.Append("\\r");
            }
            else if (IsPrintable(rune))
            {
                sb.Append(rune.ToString());
            }
            else
            {
                sb.Append(c < 0x100 ? "\\x" + c.ToString("x2", CultureInfo.InvariantCulture)
                    : c < 0x10000 ? "\\u" + c.ToString("x4", CultureInfo.InvariantCulture)
                    : "\\U" + c.ToString("x8", CultureInfo.InvariantCulture));
            }
        }

        sb.Append(quote);
        var repr = sb.ToString();
        if (repr.Length > maxLength)
        {
            // Code points, not UTF-16 units: CPython cuts its str at 200 characters.
            var runes = repr.EnumerateRunes().Take(maxLength);
            repr = string.Concat(runes.Select(r => r.ToString()));
        }

        return repr;
    }

    /// <summary>Python's <c>str.isprintable</c> for one character: not a control, format, surrogate, private-use, unassigned or separator character (space excepted).</summary>
    public static bool IsPrintable(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
    }
}
