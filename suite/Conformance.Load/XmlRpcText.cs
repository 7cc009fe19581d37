using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Conformance.Load;

/// <summary>
/// XML-RPC by hand, independent of the codec under test: request bodies from strings, ints, lists and
/// string-keyed dictionaries, and a small response reader (XDocument) to check an echo came back equal.
/// </summary>
internal static class XmlRpcText
{
    public static string Call(string method, params object[] parameters)
    {
        var xml = new StringBuilder("<?xml version='1.0'?>\n<methodCall>\n<methodName>");
        xml.Append(Escape(method)).Append("</methodName>\n<params>\n");
        foreach (var p in parameters)
        {
            xml.Append("<param>");
            AppendValue(xml, p);
            xml.Append("</param>\n");
        }

        return xml.Append("</params>\n</methodCall>\n").ToString();
    }

    /// <summary>A <c>system.multicall</c> of <paramref name="count"/> × <c>method(argument)</c>.</summary>
    public static string MultiCall(string method, object argument, int count)
    {
        var calls = new List<object>();
        for (var i = 0; i < count; i++)
        {
            calls.Add(new Dictionary<string, object> { ["methodName"] = method, ["params"] = new List<object> { argument } });
        }

        return Call("system.multicall", calls);
    }

    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>The single returned value, or an error text (fault, parse error, no params).</summary>
    public static (object? Value, string? Error) ParseResponse(string body)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Parse(body, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            return (null, "unparsable response: " + e.Message);
        }

        var root = doc.Root;
        if (root is null || root.Name.LocalName != "methodResponse")
        {
            return (null, "not a methodResponse");
        }

        var fault = root.Element("fault");
        if (fault is not null)
        {
            return (null, "fault: " + Shorten(fault.Value));
        }

        var value = root.Element("params")?.Element("param")?.Element("value");
        if (value is null)
        {
            return (null, "no params/param/value");
        }

        try
        {
            return (ReadValue(value), null);
        }
        catch (FormatException e)
        {
            return (null, "bad value: " + e.Message);
        }
    }

    public static bool DeepEquals(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (int x, int y) => x == y,
        (List<object> x, List<object> y) => x.Count == y.Count && x.Zip(y).All(p => DeepEquals(p.First, p.Second)),
        (Dictionary<string, object> x, Dictionary<string, object> y) =>
            x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var other) && DeepEquals(kv.Value, other)),
        _ => false,
    };

    public static string Shorten(string text, int max = 160) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    private static void AppendValue(StringBuilder xml, object value)
    {
        switch (value)
        {
            case string s:
                xml.Append("<value><string>").Append(Escape(s)).Append("</string></value>");
                break;
            case int i:
                xml.Append("<value><int>").Append(i.ToString(CultureInfo.InvariantCulture)).Append("</int></value>");
                break;
            case List<object> list:
                xml.Append("<value><array><data>\n");
                foreach (var item in list)
                {
                    AppendValue(xml, item);
                    xml.Append('\n');
                }

                xml.Append("</data></array></value>");
                break;
            case Dictionary<string, object> map:
                xml.Append("<value><struct>\n");
                foreach (var (name, member) in map)
                {
                    xml.Append("<member><name>").Append(Escape(name)).Append("</name>");
                    AppendValue(xml, member);
                    xml.Append("</member>\n");
                }

                xml.Append("</struct></value>");
                break;
            default:
                throw new ArgumentException("unsupported value type " + value.GetType().Name, nameof(value));
        }
    }

    private static object ReadValue(XElement value)
    {
        var typed = value.Elements().FirstOrDefault();
        if (typed is null)
        {
            return value.Value; // <value>text</value> is a string
        }

        switch (typed.Name.LocalName)
        {
            case "string":
                return typed.Value;
            case "int" or "i4" or "i8":
                return int.Parse(typed.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            case "array":
                return (typed.Element("data")?.Elements("value") ?? []).Select(ReadValue).ToList();
            case "struct":
                var map = new Dictionary<string, object>(StringComparer.Ordinal);
                foreach (var member in typed.Elements("member"))
                {
                    var name = member.Element("name")?.Value ?? throw new FormatException("member without name");
                    var inner = member.Element("value") ?? throw new FormatException("member without value");
                    map[name] = ReadValue(inner);
                }

                return map;
            default:
                // Types the harness never sends: kept as a tagged string so a comparison fails visibly.
                return "<" + typed.Name.LocalName + ">" + typed.Value;
        }
    }
}
