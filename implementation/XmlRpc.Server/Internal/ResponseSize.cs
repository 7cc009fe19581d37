namespace XmlRpc.Server.Internal;

/// <summary>A cheap lower bound of the bytes a value takes in a response, to refuse a response before it is built.</summary>
/// <remarks>
/// Strings count one byte per UTF-16 unit (UTF-8 and escaping only add), base64 its encoded length, every value its
/// tags. Iterative, so a deep value costs no stack.
/// </remarks>
internal static class ResponseSize
{
    private const int ValueTags = 30; // <value><string></string></value> and the newline

    public static long LowerBound(XmlRpcValue value)
    {
        if (value.Kind is not (XmlRpcValueKind.Array or XmlRpcValueKind.Struct))
        {
            // Most results: one scalar, no stack to allocate.
            return ValueTags + value.Kind switch
            {
                XmlRpcValueKind.String => value.AsString().Length,
                XmlRpcValueKind.Base64 => (value.AsBase64().Length + 2L) / 3 * 4,
                _ => 0,
            };
        }

        long total = 0;
        var pending = new Stack<XmlRpcValue>();
        pending.Push(value);
        while (pending.Count > 0)
        {
            var v = pending.Pop();
            total += ValueTags;
            switch (v.Kind)
            {
                case XmlRpcValueKind.String:
                    total += v.AsString().Length;
                    break;
                case XmlRpcValueKind.Base64:
                    total += (v.AsBase64().Length + 2) / 3 * 4;
                    break;
                case XmlRpcValueKind.Array:
                    foreach (var item in v.AsArray())
                    {
                        pending.Push(item);
                    }

                    break;
                case XmlRpcValueKind.Struct:
                    foreach (var (name, member) in v.AsStruct())
                    {
                        total += name.Length + 30; // <member><name></name></member>
                        pending.Push(member);
                    }

                    break;
                default:
                    break;
            }
        }

        return total;
    }
}
