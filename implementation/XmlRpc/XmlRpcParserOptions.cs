namespace XmlRpc;

/// <summary>Limits and switches of <see cref="XmlRpcParser"/>. Every limit is checked before the memory it guards is used.</summary>
public sealed record XmlRpcParserOptions
{
    /// <summary>The defaults.</summary>
    public static XmlRpcParserOptions Default { get; } = new();

    /// <summary>Largest document, in bytes (default 32 MiB). Stream input stops reading at this size.</summary>
    public int MaxDocumentBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Deepest element nesting (default 1024 elements, about 340 nested arrays); the parser is iterative, this protects the code that consumes values.</summary>
    public int MaxDepth { get; init; } = 1024;

    /// <summary>Longest string, struct member name, method name or dateTime text, in UTF-16 code units (default 16 Mi).</summary>
    public int MaxStringLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>Largest decoded <c>&lt;base64&gt;</c>, in bytes (default 16 MiB).</summary>
    public int MaxBase64Length { get; init; } = 16 * 1024 * 1024;

    /// <summary>Most items of one array, members of one struct, or parameters (default 1 000 000).</summary>
    public int MaxCollectionCount { get; init; } = 1_000_000;

    /// <summary>Most digits of an integer (default 4300, CPython's <c>sys.int_info.default_max_str_digits</c>, CVE-2020-10735).</summary>
    public int MaxIntegerDigits { get; init; } = 4300;
}
