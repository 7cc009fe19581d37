using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace XmlRpc.Generators;

/// <summary>
/// Writes the typed client proxy of one interface that has an <c>[XmlRpcMethod]</c> method: a class whose methods
/// call <c>XmlRpcClient.CallAsync</c> with the arguments converted to <c>XmlRpcValue</c> and convert the result back,
/// as the <c>DispatchProxy</c> fallback does by reflection (same wire calls, same mapping errors). Registered for
/// <c>XmlRpcClient.CreateProxy&lt;T&gt;</c> by a module initializer; <c>XmlRpcGeneratedProxies.Create&lt;T&gt;</c>
/// asks for it without reflection. An interface it cannot write keeps the fallback, with warning XRPC002.
/// </summary>
internal static class ProxyWriter
{
    private const string Value = "global::XmlRpc.XmlRpcValue";

    public static GenerationResult? Analyze(INamedTypeSymbol contract, Compilation compilation)
    {
        if (compilation.GetTypeByMetadataName("XmlRpc.Client.XmlRpcGeneratedProxies") is null)
        {
            return null;
        }

        var hint = XmlRpcGenerator.HintName(contract, ".XmlRpcProxy.g.cs");
        var mapper = new TypeMapper();
        var members = new[] { contract }.Concat(contract.AllInterfaces).SelectMany(i => i.GetMembers()).Where(m => m.IsAbstract).ToList();
        string? problem = contract.IsGenericType ? "is generic"
            : !TypeMapper.IsAccessible(contract) ? "is not accessible to generated code (make it public or internal)"
            : null;
        ISymbol where = contract;
        foreach (var member in members)
        {
            if (problem is not null)
            {
                break;
            }

            (problem, where) = (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method ? Check(method, mapper) : "is not a method", member);
            problem = problem is null ? null : $"'{member.Name}' {problem}";
        }

        if (problem is not null)
        {
            var diagnostic = DiagnosticInfo.Create(
                Diagnostics.ProxyFallback,
                where,
                $"'{contract.ToDisplayString()}' gets a reflection proxy: {problem}; XmlRpcClient.CreateProxy<T> uses DispatchProxy and XmlRpcSerializer, which trimming and Native AOT cannot guarantee");
            return new GenerationResult(hint, null, new EquatableArray<DiagnosticInfo>([diagnostic]));
        }

        return new GenerationResult(hint, Source(contract, members.Cast<IMethodSymbol>().ToList(), mapper, compilation), default);
    }

    private static string? Check(IMethodSymbol method, TypeMapper mapper)
    {
        if (method.IsGenericMethod)
        {
            return "is generic";
        }

        var (shape, result) = XmlRpcGenerator.Returns(method);
        if (shape is XmlRpcGenerator.ReturnShape.Value or XmlRpcGenerator.ReturnShape.Void)
        {
            return "does not return Task, Task<T>, ValueTask or ValueTask<T>";
        }

        if (result is not null && mapper.Check(result) is { } returned)
        {
            return $"returns {returned}";
        }

        if (method.Parameters.Count(p => XmlRpcGenerator.IsCancellationToken(p.Type)) > 1)
        {
            return "has more than one CancellationToken parameter";
        }

        foreach (var p in method.Parameters)
        {
            if (p.RefKind != RefKind.None)
            {
                return $"has a ref/out/in parameter '{p.Name}'";
            }

            if (!XmlRpcGenerator.IsCancellationToken(p.Type) && mapper.Check(p.Type) is { } reason)
            {
                return $"has parameter '{p.Name}': {reason}";
            }
        }

        return null;
    }

    private static string Source(INamedTypeSymbol contract, List<IMethodSymbol> methods, TypeMapper mapper, Compilation compilation)
    {
        var contractName = contract.ToDisplayString(TypeMapper.Format);
        var className = "XmlRpcProxy_" + XmlRpcGenerator.HintName(contract, string.Empty).Replace('.', '_');
        var body = new StringBuilder();
        foreach (var method in methods)
        {
            var wireName = XmlRpcGenerator.WireName(method, XmlRpcGenerator.FindMethodAttribute(method));
            var (_, result) = XmlRpcGenerator.Returns(method);
            var parameters = string.Join(", ", method.Parameters.Select(p => $"{p.Type.ToDisplayString(TypeMapper.Format)} @{p.Name}"));
            var token = method.Parameters.FirstOrDefault(p => XmlRpcGenerator.IsCancellationToken(p.Type)) is { } t ? "@" + t.Name : "default";
            var arguments = string.Join(", ", method.Parameters.Where(p => !XmlRpcGenerator.IsCancellationToken(p.Type)).Select(p => mapper.Write(p.Type, "@" + p.Name)));
            body.AppendLine($"        async {method.ReturnType.ToDisplayString(TypeMapper.Format)} {method.ContainingType.ToDisplayString(TypeMapper.Format)}.@{method.Name}({parameters})");
            body.AppendLine("        {");
            var call = $"await _client.CallAsync({XmlRpcGenerator.Literal(wireName)}, new {Value}[] {{ {arguments} }}, {token}).ConfigureAwait(false)";
            if (result is null)
            {
                body.AppendLine($"            {call};");
            }
            else
            {
                body.AppendLine($"            var result = {call};");
                body.AppendLine($"            return {mapper.Read(result, "result", "\"$\"")};");
            }

            body.AppendLine("        }");
            body.AppendLine();
        }

        var code = new StringBuilder();
        code.AppendLine("// <auto-generated/> by the XmlRpcWire source generator: the reflection-free XML-RPC client proxy of " + contract.ToDisplayString() + ".");
        code.AppendLine("#nullable disable");
        code.AppendLine("#pragma warning disable CS1591");
        code.AppendLine();
        code.AppendLine("namespace XmlRpc.Generated");
        code.AppendLine("{");
        code.AppendLine($"    /// <summary>Calls the XML-RPC methods of <see cref=\"{contractName}\"/> through an <see cref=\"global::XmlRpc.Client.XmlRpcClient\"/>.</summary>");
        code.AppendLine("    [global::System.CodeDom.Compiler.GeneratedCode(\"XmlRpcWire\", \"1\")]");
        code.AppendLine($"    internal sealed class {className} : {contractName}");
        code.AppendLine("    {");
        code.AppendLine("        private readonly global::XmlRpc.Client.XmlRpcClient _client;");
        code.AppendLine();
        code.AppendLine($"        public {className}(global::XmlRpc.Client.XmlRpcClient client)");
        code.AppendLine("        {");
        code.AppendLine("            _client = client ?? throw new global::System.ArgumentNullException(nameof(client));");
        code.AppendLine("        }");
        code.AppendLine();
        if (compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ModuleInitializerAttribute") is not null)
        {
            code.AppendLine("        [global::System.Runtime.CompilerServices.ModuleInitializer]");
            code.AppendLine("        internal static void Register() =>");
            code.AppendLine($"            global::XmlRpc.Client.XmlRpcGeneratedProxies.Register(typeof({contractName}), client => new {className}(client));");
            code.AppendLine();
        }

        code.Append(body);
        code.Append(mapper.Methods);
        code.AppendLine("    }");
        code.AppendLine("}");
        return code.ToString();
    }
}
