using Microsoft.CodeAnalysis;

namespace XmlRpc.Generators;

/// <summary>Writes the typed client proxy of one <c>[XmlRpcMethod]</c> interface.</summary>
internal static class ProxyWriter
{
    public static GenerationResult? Analyze(INamedTypeSymbol contract, Compilation compilation) => null;
}
