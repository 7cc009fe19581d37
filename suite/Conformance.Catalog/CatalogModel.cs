using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using XmlRpc;

namespace Conformance.Catalog;

/// <summary>The catalog's language-neutral value model (fixtures/README.md) ↔ <see cref="XmlRpcValue"/>.</summary>
/// <remarks>
/// One JSON object with exactly one key, the XML-RPC type name: <c>{"int": 5}</c>, <c>{"i8": 5}</c>, <c>{"boolean": true}</c>,
/// <c>{"string": "a"}</c>, <c>{"double": "1e-07"}</c> (Python <c>repr</c> text), <c>{"dateTime.iso8601": "..."}</c>,
/// <c>{"datetime": "2005-02-10T11:41:23.5"}</c> (a native date-time, input only), <c>{"base64": "AAE="}</c>,
/// <c>{"base64file": "seed/x.png"}</c>, <c>{"struct": [["name", v], ...]}</c>, <c>{"array": [...]}</c>, <c>{"nil": null}</c>,
/// <c>{"bigdecimal": "1.10"}</c>.
/// </remarks>
public static class CatalogModel
{
    /// <summary>Converts a model to a value.</summary>
    /// <param name="model">The tagged JSON object.</param>
    /// <param name="fixturesDirectory">The fixtures/ folder, for <c>base64file</c>.</param>
    /// <exception cref="FormatException">Not a model this converter knows (e.g. CPython's <c>{"python": "..."}</c> for a value XML-RPC cannot say).</exception>
    public static XmlRpcValue FromModel(JsonElement model, string fixturesDirectory)
    {
        if (model.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"A value model must be an object, not {model.ValueKind}: {model.GetRawText()}");
        }

        using var e = model.EnumerateObject();
        if (!e.MoveNext())
        {
            throw new FormatException("An empty value model.");
        }

        var p = e.Current;
        if (e.MoveNext())
        {
            throw new FormatException($"A value model has exactly one key: {model.GetRawText()}");
        }

        var v = p.Value;
        switch (p.Name)
        {
            case "int":
                return Integer(BigInteger.Parse(v.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            case "i8":
                return XmlRpcValue.FromInt64(long.Parse(v.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            case "boolean":
                return XmlRpcValue.FromBoolean(v.GetBoolean());
            case "string":
                return XmlRpcValue.FromString(v.GetString()!);
            case "double":
                return XmlRpcValue.FromDouble(ParseDouble(v.GetString()!));
            case "dateTime.iso8601":
                return XmlRpcValue.FromDateTimeText(v.GetString()!);
            case "datetime":
                return XmlRpcValue.FromDateTime(DateTime.ParseExact(
                    v.GetString()!,
                    ["yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF"],
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.None));
            case "base64":
                return XmlRpcValue.FromBase64(Convert.FromBase64String(v.GetString()!));
            case "base64file":
                return XmlRpcValue.FromBase64(File.ReadAllBytes(Path.Combine(fixturesDirectory, v.GetString()!)));
            case "struct":
                {
                    var members = new List<KeyValuePair<string, XmlRpcValue>>();
                    foreach (var m in v.EnumerateArray())
                    {
                        members.Add(new(m[0].GetString()!, FromModel(m[1], fixturesDirectory)));
                    }

                    return XmlRpcValue.Struct(members);
                }

            case "array":
                return XmlRpcValue.Array(v.EnumerateArray().Select(item => FromModel(item, fixturesDirectory)).ToList());
            case "nil":
                return XmlRpcValue.Nil;
            case "bigdecimal":
                return XmlRpcValue.FromBigDecimalText(v.GetString()!);
            default:
                throw new FormatException($"Unknown value model tag '{p.Name}': {model.GetRawText()}");
        }
    }

    /// <summary>The model's <c>double</c> text (Python <c>repr</c>) as a double.</summary>
    public static double ParseDouble(string text) =>
        XmlRpcParser.TryParseDouble(text, out var d) ? d : throw new FormatException($"'{text}' is not a Python float repr.");

    /// <summary>The XML-RPC type name of a value, as the catalog's <c>resultType</c> spells it (every integer width is <c>int</c>).</summary>
    public static string TypeName(XmlRpcValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Kind switch
        {
            XmlRpcValueKind.Int or XmlRpcValueKind.I8 or XmlRpcValueKind.BigInteger => "int",
            XmlRpcValueKind.Boolean => "boolean",
            XmlRpcValueKind.String => "string",
            XmlRpcValueKind.Double => "double",
            XmlRpcValueKind.DateTime => "dateTime.iso8601",
            XmlRpcValueKind.Base64 => "base64",
            XmlRpcValueKind.Struct => "struct",
            XmlRpcValueKind.Array => "array",
            XmlRpcValueKind.Nil => "nil",
            XmlRpcValueKind.BigDecimal => "bigdecimal",
            _ => value.Kind.ToString(),
        };
    }

    /// <summary>
    /// The canonical describe text of a value: exactly Python's
    /// <c>json.dumps(model, separators=(",", ":"), ensure_ascii=True)</c> of its model, struct members in order.
    /// </summary>
    /// <remarks>What both conformance services' <c>describe</c> method returns (python-peers/conformance.py <c>describe_json</c>).</remarks>
    public static string DescribeJson(XmlRpcValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder();
        Describe(sb, value);
        return sb.ToString();
    }

    private static void Describe(StringBuilder sb, XmlRpcValue value)
    {
        switch (value.Kind)
        {
            case XmlRpcValueKind.Int:
            case XmlRpcValueKind.I8:
            case XmlRpcValueKind.BigInteger:
                sb.Append("{\"int\":").Append(value.AsBigInteger().ToString(CultureInfo.InvariantCulture)).Append('}');
                break;
            case XmlRpcValueKind.Boolean:
                sb.Append(value.AsBoolean() ? "{\"boolean\":true}" : "{\"boolean\":false}");
                break;
            case XmlRpcValueKind.String:
                sb.Append("{\"string\":");
                JsonString(sb, value.AsString());
                sb.Append('}');
                break;
            case XmlRpcValueKind.Double:
                sb.Append("{\"double\":");
                JsonString(sb, XmlRpcFormatter.FormatDouble(value.AsDouble()));
                sb.Append('}');
                break;
            case XmlRpcValueKind.DateTime:
                sb.Append("{\"dateTime.iso8601\":");
                JsonString(sb, value.AsDateTimeText());
                sb.Append('}');
                break;
            case XmlRpcValueKind.Base64:
                sb.Append("{\"base64\":");
                JsonString(sb, Convert.ToBase64String(value.AsBase64().Span));
                sb.Append('}');
                break;
            case XmlRpcValueKind.Nil:
                sb.Append("{\"nil\":null}");
                break;
            case XmlRpcValueKind.BigDecimal:
                sb.Append("{\"bigdecimal\":");
                JsonString(sb, value.AsBigDecimalText());
                sb.Append('}');
                break;
            case XmlRpcValueKind.Array:
                sb.Append("{\"array\":[");
                var items = value.AsArray();
                for (var i = 0; i < items.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Describe(sb, items[i]);
                }

                sb.Append("]}");
                break;
            case XmlRpcValueKind.Struct:
                sb.Append("{\"struct\":[");
                var members = value.AsStruct();
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    sb.Append('[');
                    JsonString(sb, members[i].Key);
                    sb.Append(',');
                    Describe(sb, members[i].Value);
                    sb.Append(']');
                }

                sb.Append("]}");
                break;
            default:
                throw new ArgumentException($"Unknown kind {value.Kind}.", nameof(value));
        }
    }

    /// <summary>Python <c>json.dumps(s, ensure_ascii=True)</c> of a string.</summary>
    public static void JsonString(StringBuilder sb, string s)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(s);
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                default:
                    if (c is >= ' ' and <= '~')
                    {
                        sb.Append(c);
                    }
                    else
                    {
                        // Python escapes everything outside printable ASCII as \uXXXX (lowercase hex); a str
                        // holds astral characters as surrogate pairs here, which is what Python writes too.
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    private static XmlRpcValue Integer(BigInteger value) =>
        value >= int.MinValue && value <= int.MaxValue ? XmlRpcValue.FromInt32((int)value)
        : value >= long.MinValue && value <= long.MaxValue ? XmlRpcValue.FromInt64((long)value)
        : XmlRpcValue.FromBigInteger(value);
}
