using XmlRpc.Protocol;

namespace XmlRpc.Server.Internal;

/// <summary>
/// What a result costs before its response is built: a cheap lower bound of its bytes in the document, and the bytes its
/// strings and binaries hold in memory meanwhile, to refuse a response before it is built.
/// </summary>
/// <remarks>
/// The document counts one byte per UTF-16 unit of a string (UTF-8 and escaping only add), base64 its encoded length, every
/// value its tags. Memory counts two bytes per UTF-16 unit and one per binary byte (object headers are left out): a 16 MiB
/// string result holds 32 MiB while its 16 MiB document is written. Iterative, so a deep value costs no stack.
/// </remarks>
internal readonly record struct ResponseSize(long Document, long Held)
{
    private const int ValueTags = 30; // <value><string></string></value> and the newline
    private const int MemberTags = 30; // <member><name></name></member>

    /// <summary>The bytes in memory while the value is formatted: the value and its document.</summary>
    public long WhileFormatting => Document + Held;

    /// <summary>A fault's cost: its text, in the document and in memory.</summary>
    public static ResponseSize OfFault(XmlRpcFault fault) => new(fault.Message.Length, 2L * fault.Message.Length);

    public static ResponseSize Of(XmlRpcValue value)
    {
        if (value.Kind is not (XmlRpcValueKind.Array or XmlRpcValueKind.Struct))
        {
            // Most results: one scalar, no stack to allocate.
            return OfScalar(value) + ValueTags;
        }

        var total = new ResponseSize(0, 0);
        var pending = new Stack<XmlRpcValue>();
        pending.Push(value);
        while (pending.Count > 0)
        {
            var v = pending.Pop();
            total += ValueTags;
            switch (v.Kind)
            {
                case XmlRpcValueKind.Array:
                    foreach (var item in v.AsArray())
                    {
                        pending.Push(item);
                    }

                    break;
                case XmlRpcValueKind.Struct:
                    foreach (var (name, member) in v.AsStruct())
                    {
                        total += new ResponseSize(name.Length + MemberTags, 2L * name.Length);
                        pending.Push(member);
                    }

                    break;
                default:
                    total += OfScalar(v);
                    break;
            }
        }

        return total;
    }

    private static ResponseSize OfScalar(XmlRpcValue value) => value.Kind switch
    {
        XmlRpcValueKind.String => new(value.AsString().Length, 2L * value.AsString().Length),
        XmlRpcValueKind.Base64 => new((value.AsBase64().Length + 2L) / 3 * 4, value.AsBase64().Length),
        _ => new(0, 0),
    };

    public static ResponseSize operator +(ResponseSize left, ResponseSize right) => new(left.Document + right.Document, left.Held + right.Held);

    public static ResponseSize operator +(ResponseSize left, long tags) => new(left.Document + tags, left.Held);
}
