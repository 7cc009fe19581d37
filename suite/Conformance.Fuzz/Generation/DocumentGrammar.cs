using System.Globalization;
using System.Text;

namespace Conformance.Fuzz.Generation;

/// <summary>
/// A grammar of XML-RPC documents: every type tag CPython reads, the texts on both sides of each type's edge (what
/// <c>int()</c>, <c>float()</c>, the boolean check and <c>base64.decodebytes</c> accept and refuse), arrays and structs
/// (sometimes very deep), calls and responses, faults, declarations, encodings and layouts.
/// </summary>
internal static class DocumentGrammar
{
    private static readonly string[] IntTexts =
    [
        "0", "1", "-1", "42", "2147483647", "-2147483648", "2147483648", "-2147483649", "9223372036854775807", "99999999999999999999999",
        " 5 ", "\n5\n", "+5", "007", "1_000", "_1", "1__0", "", " ", "0x10", "1.5", "1e3", "\u0661\u0662", "--1", "+-1", "\t-0\t",
        "\u00a05", "\uff15", "1 2", "abc",
    ];

    private static readonly string[] IntTags = ["int", "i4", "i8", "i1", "i2", "biginteger", "ex:i8", "foo:int"];

    private static readonly string[] DoubleTexts =
    [
        "0.0", "-0.0", "1.5", " 1.5 ", "1e5", "1E-7", "inf", "-Infinity", "nan", "NaN", "1_0.5", "1,5", "", ".5", "5.", "1e",
        "1e400", "-1e400", "4.9e-324", "1.7976931348623157e+308", "0x1p3", "infinity ", "+.5e-3", "1__0", "\u0661.5",
    ];

    private static readonly string[] BooleanTexts = ["0", "1", "true", "false", " 1 ", "", "2", "01", "1\n"];

    private static readonly string[] Base64Texts =
    [
        "", "AP8=", "bXkgZG9nIGhhcyBmbGVhcw==", "\nbXkgZG9nIGhhcyBmbGVhcw==\n", "AGJ5 dGUg\nc3RyaW5n/w==", "AGJ5dGUgc3RyaW5n/w=",
        "!!!!", "-_-_", "A", "AB", "ABC", "ABCD=", "A===", "=", "AB=C", "\u00e9",
    ];

    private static readonly string[] DateTexts =
    [
        "20050210T11:41:23", " 20050210T11:41:23 ", "2005-02-10T11:41:23", "20050210T11:41:23Z", "20050210T11:41:23+01:00",
        "garbage", "", "19980717T14:08:55", "00010101T00:00:00",
    ];

    private static readonly string[] StringTexts =
    [
        "", "abc", "  a b  ", "\n", "a&amp;b&lt;c&gt;d", "&quot;&apos;", "&#65;&#x42;", "&#x1F600;", "<![CDATA[<a&b>]]>", "a<!--c-->b",
        "\u00e9\u20ac\U0001D518", "tab\there", "cr\rlf\r\n", "&#13;", "]]&gt;", "x]y", "\u2028\u0085\u007f", "&#0;", "&#xD800;", "&nbsp;",
        "&#1;", "<?pi x?>y",
    ];

    private static readonly string[] MethodNames =
    [
        "echo", "echo", "echo", "describe", "echo_params", "nested.echo", "add", "fault", "raise_error", "system.listMethods",
        "system.methodHelp", "system.multicall", "nope", "", " echo ", "_private", "t\u00eas\u0161t",
    ];

    /// <summary>A whole document: a call (mostly), a response or a fault, with a declaration and a layout.</summary>
    public static byte[] Document(Random random)
    {
        var pretty = random.Next(4) == 0;
        var nl = pretty ? "\n" : string.Empty;
        var sb = new StringBuilder();
        var encoding = Declaration(random, sb);
        switch (random.Next(10))
        {
            case < 7:
                var method = MethodNames[random.Next(MethodNames.Length)];
                sb.Append("<methodCall>").Append(nl).Append("<methodName>").Append(method).Append("</methodName>").Append(nl);
                if (random.Next(12) != 0)
                {
                    Params(random, sb, nl, method == "system.multicall");
                }

                sb.Append("</methodCall>").Append(nl);
                break;
            case < 9:
                sb.Append("<methodResponse>").Append(nl);
                Params(random, sb, nl, multicall: false);
                sb.Append("</methodResponse>").Append(nl);
                break;
            default:
                sb.Append("<methodResponse><fault><value><struct>")
                    .Append("<member><name>faultCode</name>").Append(random.Next(3) == 0 ? "<value><string>4</string></value>" : "<value><int>4</int></value>").Append("</member>")
                    .Append(random.Next(5) == 0 ? string.Empty : "<member><name>faultString</name><value>Too many</value></member>")
                    .Append("</struct></value></fault></methodResponse>");
                break;
        }

        return Encode(sb.ToString(), encoding, random);
    }

    /// <summary>One value, as CPython or another implementation might write it.</summary>
    public static void Value(Random random, StringBuilder sb, int depth)
    {
        sb.Append("<value>");
        var pick = depth > 4 ? random.Next(12) : random.Next(16);
        switch (pick)
        {
            case 0:
            case 1:
                var tag = IntTags[random.Next(IntTags.Length)];
                sb.Append('<').Append(tag).Append('>').Append(Pick(random, IntTexts, Huge)).Append("</").Append(tag).Append('>');
                break;
            case 2:
                sb.Append("<boolean>").Append(BooleanTexts[random.Next(BooleanTexts.Length)]).Append("</boolean>");
                break;
            case 3:
                var doubleTag = random.Next(5) == 0 ? "float" : "double";
                sb.Append('<').Append(doubleTag).Append('>').Append(Pick(random, DoubleTexts, RandomDouble)).Append("</").Append(doubleTag).Append('>');
                break;
            case 4:
                sb.Append("<string>").Append(Pick(random, StringTexts, RandomText)).Append("</string>");
                break;
            case 5:
                sb.Append(Pick(random, StringTexts, RandomText));
                break;
            case 6:
                sb.Append("<base64>").Append(Pick(random, Base64Texts, RandomBase64)).Append("</base64>");
                break;
            case 7:
                sb.Append("<dateTime.iso8601>").Append(DateTexts[random.Next(DateTexts.Length)]).Append("</dateTime.iso8601>");
                break;
            case 8:
                sb.Append(random.Next(4) switch { 0 => "<nil/>", 1 => "<ex:nil/>", 2 => "<nil>x</nil>", _ => "<bigdecimal>" + (random.Next(3) == 0 ? "abc" : "1.10") + "</bigdecimal>" });
                break;
            case 9:
            case 10:
            case 11:
                if (random.Next(40) == 0)
                {
                    Deep(random, sb);
                }
                else if (random.Next(2) == 0)
                {
                    Array(random, sb, depth);
                }
                else
                {
                    Struct(random, sb, depth);
                }

                break;
            default:
                // A second helping of containers while shallow, so documents have structure.
                if (random.Next(2) == 0)
                {
                    Array(random, sb, depth);
                }
                else
                {
                    Struct(random, sb, depth);
                }

                break;
        }

        sb.Append("</value>");
    }

    private static void Params(Random random, StringBuilder sb, string nl, bool multicall)
    {
        sb.Append("<params>").Append(nl);
        var count = multicall ? 1 : random.Next(4);
        for (var i = 0; i < count; i++)
        {
            sb.Append("<param>").Append(nl);
            if (multicall)
            {
                Multicall(random, sb);
            }
            else
            {
                Value(random, sb, 0);
            }

            sb.Append(nl).Append("</param>").Append(nl);
        }

        sb.Append("</params>").Append(nl);
    }

    private static void Multicall(Random random, StringBuilder sb)
    {
        sb.Append("<value><array><data>");
        for (var i = random.Next(4); i > 0; i--)
        {
            sb.Append("<value><struct><member><name>methodName</name><value><string>")
                .Append(MethodNames[random.Next(MethodNames.Length)])
                .Append("</string></value></member>");
            if (random.Next(6) != 0)
            {
                sb.Append("<member><name>params</name><value><array><data>");
                for (var j = random.Next(3); j > 0; j--)
                {
                    Value(random, sb, 3);
                }

                sb.Append("</data></array></value></member>");
            }

            sb.Append("</struct></value>");
        }

        sb.Append("</data></array></value>");
    }

    private static void Array(Random random, StringBuilder sb, int depth)
    {
        sb.Append("<array>");
        if (random.Next(10) != 0)
        {
            sb.Append("<data>");
            for (var i = random.Next(4); i > 0; i--)
            {
                Value(random, sb, depth + 1);
            }

            sb.Append("</data>");
        }

        sb.Append("</array>");
    }

    private static void Struct(Random random, StringBuilder sb, int depth)
    {
        sb.Append("<struct>");
        for (var i = random.Next(4); i > 0; i--)
        {
            sb.Append("<member>");
            var order = random.Next(20);
            if (order != 0)
            {
                sb.Append("<name>").Append(random.Next(4) == 0 ? Pick(random, StringTexts, RandomText) : "m" + random.Next(3).ToString(CultureInfo.InvariantCulture)).Append("</name>");
            }

            if (order != 1)
            {
                Value(random, sb, depth + 1);
            }

            if (order == 0)
            {
                sb.Append("<name>late</name>");
            }

            sb.Append("</member>");
        }

        sb.Append("</struct>");
    }

    /// <summary>Arrays nested 200 to 600 deep: around every depth limit (ours and CPython's recursion).</summary>
    private static void Deep(Random random, StringBuilder sb)
    {
        var n = random.Next(200, 600);
        for (var i = 0; i < n; i++)
        {
            sb.Append("<array><data><value>");
        }

        sb.Append("<int>1</int>");
        for (var i = 0; i < n; i++)
        {
            sb.Append("</value></data></array>");
        }
    }

    private static string? Declaration(Random random, StringBuilder sb)
    {
        switch (random.Next(12))
        {
            case < 5:
                sb.Append("<?xml version='1.0'?>\n");
                return null;
            case < 7:
                return null;
            case 7:
                sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
                return null;
            case 8:
                sb.Append("<?xml version='1.0' encoding='iso-8859-1'?>\n");
                return "iso-8859-1";
            case 9:
                sb.Append("<?xml version=\"1.0\" encoding=\"windows-1252\" standalone=\"yes\"?>");
                return "windows-1252";
            case 10:
                sb.Append("<?xml version='1.0' encoding='us-ascii'?>\n");
                return "us-ascii";
            default:
                sb.Append(random.Next(3) switch { 0 => "<?xml version='1.1'?>", 1 => "<?xml version='0.0'?>", _ => "<?xml version='2.0'?>" });
                return null;
        }
    }

    /// <summary>The text in the declared encoding (characters it lacks as decimal references, as CPython writes them); sometimes a byte order mark.</summary>
    private static byte[] Encode(string text, string? encoding, Random random)
    {
        if (encoding is null)
        {
            var utf8 = Encoding.UTF8.GetBytes(text);
            return random.Next(25) == 0 ? [0xEF, 0xBB, 0xBF, .. utf8] : utf8;
        }

        var codec = Encoding.GetEncoding(encoding, new EncoderReplacementFallback("?"), DecoderFallback.ReplacementFallback);
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var s = rune.ToString();
            sb.Append(codec.GetString(codec.GetBytes(s)) == s ? s : "&#" + rune.Value.ToString(CultureInfo.InvariantCulture) + ";");
        }

        return codec.GetBytes(sb.ToString());
    }

    private static string Pick(Random random, string[] texts, Func<Random, string> generate) =>
        random.Next(3) == 0 ? generate(random) : texts[random.Next(texts.Length)];

    private static string Huge(Random random) =>
        (random.Next(2) == 0 ? "-" : string.Empty) + new string('9', random.Next(1, 5) switch { 1 => 19, 2 => 40, 3 => 4300, _ => 4301 });

    private static string RandomDouble(Random random) =>
        (random.NextDouble() * Math.Pow(10, random.Next(-30, 30))).ToString("R", CultureInfo.InvariantCulture);

    private static string RandomBase64(Random random)
    {
        var bytes = new byte[random.Next(0, 80)];
        random.NextBytes(bytes);
        return Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks);
    }

    private static string RandomText(Random random)
    {
        const string alphabet = "ab <>&;#x\"'\t\n\r\u00e9\u20ac\U0001F600]";
        var sb = new StringBuilder();
        for (var i = random.Next(12); i > 0; i--)
        {
            var c = alphabet[random.Next(alphabet.Length)];
            sb.Append(c switch { '<' => "&lt;", '&' => "&amp;", _ => c.ToString() });
        }

        return sb.ToString();
    }
}
