using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XmlRpc.Generators;

/// <summary>
/// Binds, at compile time, every class that declares a method marked <c>[XmlRpcMethod]</c>, and writes a client proxy
/// for every interface that does: an <c>XmlRpcMethodDefinition</c> per XML-RPC method (the methods
/// <c>AddInstance&lt;T&gt;</c> registers, interface-marked ones included) whose handler converts the parameters
/// and the result without reflection, registered for <c>XmlRpcMethodRegistry.AddInstance&lt;T&gt;</c> by a module
/// initializer and offered as <c>registry.AddGenerated(instance)</c> for trimmed and Native AOT applications.
/// A class the generator cannot bind keeps the reflection binding, with warning XRPC001 saying why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class XmlRpcGenerator : IIncrementalGenerator
{
    internal const string MethodAttribute = "XmlRpc.XmlRpcMethodAttribute";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider.ForAttributeWithMetadataName(
                MethodAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, _) => Analyze(((IMethodSymbol)ctx.TargetSymbol).ContainingType, ctx.SemanticModel.Compilation))
            .Where(static r => r is not null)
            .Select(static (r, _) => r!)
            .Collect();

        context.RegisterSourceOutput(results, static (spc, all) =>
        {
            foreach (var result in all.GroupBy(r => r.HintName).Select(g => g.First()))
            {
                foreach (var diagnostic in result.Diagnostics.Items)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic());
                }

                if (result.Source is not null)
                {
                    spc.AddSource(result.HintName, result.Source);
                }
            }
        });
    }

    private static GenerationResult? Analyze(INamedTypeSymbol type, Compilation compilation)
    {
        if (type.TypeKind == TypeKind.Interface)
        {
            return ProxyWriter.Analyze(type, compilation);
        }

        if (type.TypeKind != TypeKind.Class || compilation.GetTypeByMetadataName("XmlRpc.Server.XmlRpcGeneratedBindings") is null)
        {
            return null;
        }

        return new ServerWriter(type, compilation).Write();
    }

    internal static string HintName(INamedTypeSymbol type, string suffix) =>
        new string(type.ToDisplayString(TypeMapper.Format).Replace("global::", string.Empty).Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '_').ToArray()) + suffix;

    internal static AttributeData? FindMethodAttribute(IMethodSymbol method)
    {
        // [XmlRpcMethod] is inherited: an overridden method's attribute counts.
        for (var m = method; m is not null; m = m.OverriddenMethod)
        {
            if (m.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == MethodAttribute) is { } own)
            {
                return own;
            }
        }

        return null;
    }

    internal static string WireName(IMethodSymbol method, AttributeData? attribute) =>
        attribute?.ConstructorArguments.FirstOrDefault().Value as string ?? method.Name;

    internal static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    /// <summary>What a method returns once awaited.</summary>
    internal enum ReturnShape
    {
        Value,
        Void,
        Task,
        ValueTask,
        TaskOfT,
        ValueTaskOfT,
    }

    internal static (ReturnShape Shape, ITypeSymbol? Result) Returns(IMethodSymbol method)
    {
        var type = method.ReturnType;
        if (method.ReturnsVoid)
        {
            return (ReturnShape.Void, null);
        }

        var display = type.OriginalDefinition.ToDisplayString(TypeMapper.Format);
        return display switch
        {
            "global::System.Threading.Tasks.Task" => (ReturnShape.Task, null),
            "global::System.Threading.Tasks.ValueTask" => (ReturnShape.ValueTask, null),
            "global::System.Threading.Tasks.Task<TResult>" => (ReturnShape.TaskOfT, ((INamedTypeSymbol)type).TypeArguments[0]),
            "global::System.Threading.Tasks.ValueTask<TResult>" => (ReturnShape.ValueTaskOfT, ((INamedTypeSymbol)type).TypeArguments[0]),
            _ => (ReturnShape.Value, type),
        };
    }

    internal static bool IsCancellationToken(ITypeSymbol type) =>
        type.ToDisplayString(TypeMapper.Format) == "global::System.Threading.CancellationToken";

    /// <summary>A parameter default as a C# expression, or <see langword="null"/> when it has none the generator can write.</summary>
    internal static string? DefaultValue(IParameterSymbol parameter)
    {
        if (!parameter.HasExplicitDefaultValue)
        {
            return null;
        }

        return parameter.ExplicitDefaultValue switch
        {
            null => $"default({parameter.Type.ToDisplayString(TypeMapper.Format)})",
            string s => Literal(s),
            bool b => b ? "true" : "false",
            int i => i.ToString(CultureInfo.InvariantCulture),
            double d when double.IsNaN(d) => "double.NaN",
            double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
            double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
            double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
            _ => null,
        };
    }
}

/// <summary>Writes the server binding of one class.</summary>
internal sealed class ServerWriter(INamedTypeSymbol type, Compilation compilation)
{
    private readonly TypeMapper _mapper = new();
    private readonly List<DiagnosticInfo> _diagnostics = [];

    public GenerationResult Write()
    {
        var hint = XmlRpcGenerator.HintName(type, ".XmlRpcBinding.g.cs");
        var methods = Methods();
        string? problem = null;
        ISymbol where = type;
        if (type.IsGenericType)
        {
            problem = "is generic";
        }
        else if (!TypeMapper.IsAccessible(type))
        {
            problem = "is not accessible to generated code (make it public or internal)";
        }
        else
        {
            foreach (var (method, _) in methods)
            {
                if (Check(method) is { } reason)
                {
                    (problem, where) = ($"method '{method.Name}' {reason}", method);
                    break;
                }
            }
        }

        if (problem is not null)
        {
            _diagnostics.Add(DiagnosticInfo.Create(
                Diagnostics.ServerFallback,
                where,
                $"'{type.ToDisplayString()}' is bound by reflection: {problem}; XmlRpcMethodRegistry.AddInstance<T> maps it with XmlRpcSerializer, which trimming and Native AOT cannot guarantee"));
            return new GenerationResult(hint, null, new EquatableArray<DiagnosticInfo>([.. _diagnostics]));
        }

        return new GenerationResult(hint, Source(methods), new EquatableArray<DiagnosticInfo>([.. _diagnostics]));
    }

    /// <summary>The methods <c>AddInstance&lt;T&gt;</c> registers: the public instance methods marked on the class or on the interface method they implement.</summary>
    private List<(IMethodSymbol Method, string WireName)> Methods()
    {
        var result = new List<(IMethodSymbol, string)>();
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        for (var t = type; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            foreach (var method in t.GetMembers().OfType<IMethodSymbol>())
            {
                if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.DeclaredAccessibility != Accessibility.Public
                    || method.IsGenericMethod || seen.Contains(method))
                {
                    continue;
                }

                for (var o = method.OverriddenMethod; o is not null; o = o.OverriddenMethod)
                {
                    seen.Add(o);
                }

                var attribute = XmlRpcGenerator.FindMethodAttribute(method) ?? InterfaceAttribute(method);
                if (attribute is not null)
                {
                    result.Add((method, XmlRpcGenerator.WireName(method, attribute)));
                }
            }
        }

        return result;
    }

    private AttributeData? InterfaceAttribute(IMethodSymbol method)
    {
        foreach (var contract in type.AllInterfaces)
        {
            foreach (var member in contract.GetMembers().OfType<IMethodSymbol>())
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method)
                    && XmlRpcGenerator.FindMethodAttribute(member) is { } attribute)
                {
                    return attribute;
                }
            }
        }

        return null;
    }

    private string? Check(IMethodSymbol method)
    {
        var parameters = method.Parameters;
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (p.RefKind != RefKind.None)
            {
                return $"has a ref/out/in parameter '{p.Name}'";
            }

            if (XmlRpcGenerator.IsCancellationToken(p.Type))
            {
                continue;
            }

            var mapped = p.IsParams && p.Type is IArrayTypeSymbol array ? array.ElementType : p.Type;
            if (_mapper.Check(mapped) is { } reason)
            {
                return $"has parameter '{p.Name}': {reason}";
            }

            if (p.HasExplicitDefaultValue && XmlRpcGenerator.DefaultValue(p) is null)
            {
                return $"has a default value of parameter '{p.Name}' the generator cannot write";
            }
        }

        if (parameters.Count(p => XmlRpcGenerator.IsCancellationToken(p.Type)) > 1)
        {
            return "has more than one CancellationToken parameter";
        }

        var (_, result) = XmlRpcGenerator.Returns(method);
        return result is not null && _mapper.Check(result) is { } returned ? $"returns {returned}" : null;
    }

    private string Source(List<(IMethodSymbol Method, string WireName)> methods)
    {
        var typeName = type.ToDisplayString(TypeMapper.Format);
        var className = "XmlRpcBinding_" + XmlRpcGenerator.HintName(type, string.Empty).Replace('.', '_');
        var body = new StringBuilder();
        var definitions = new StringBuilder();
        for (var k = 0; k < methods.Count; k++)
        {
            var (method, wireName) = methods[k];
            definitions.AppendLine($"            var name{k} = prefix is null ? {XmlRpcGenerator.Literal(wireName)} : prefix + {XmlRpcGenerator.Literal("." + wireName)};");
            WriteInvoke(body, k, method);
        }

        var code = new StringBuilder();
        code.AppendLine("// <auto-generated/> by the XmlRpcWire source generator: the reflection-free XML-RPC binding of " + type.ToDisplayString() + ".");
        code.AppendLine("#nullable disable");
        code.AppendLine("#pragma warning disable CS1591");
        code.AppendLine();
        code.AppendLine("namespace XmlRpc.Generated");
        code.AppendLine("{");
        code.AppendLine($"    /// <summary>The XML-RPC methods of <see cref=\"{typeName}\"/>, bound at compile time.</summary>");
        code.AppendLine("    [global::System.CodeDom.Compiler.GeneratedCode(\"XmlRpcWire\", \"1\")]");
        code.AppendLine($"    internal static class {className}");
        code.AppendLine("    {");
        if (compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.ModuleInitializerAttribute") is not null)
        {
            code.AppendLine("        [global::System.Runtime.CompilerServices.ModuleInitializer]");
            code.AppendLine("        internal static void Register() =>");
            code.AppendLine($"            global::XmlRpc.Server.XmlRpcGeneratedBindings.Register(typeof({typeName}), (instance, prefix) => Bind(({typeName})instance, prefix));");
            code.AppendLine();
        }

        code.AppendLine("        /// <summary>The method definitions of <paramref name=\"target\"/>; wire names prefixed with <c>prefix.</c> unless it is null.</summary>");
        code.AppendLine($"        public static global::System.Collections.Generic.IReadOnlyList<global::XmlRpc.Server.XmlRpcMethodDefinition> Bind({typeName} target, string prefix)");
        code.AppendLine("        {");
        code.AppendLine("            if (target is null) throw new global::System.ArgumentNullException(nameof(target));");
        code.Append(definitions);
        code.AppendLine("            return new global::XmlRpc.Server.XmlRpcMethodDefinition[]");
        code.AppendLine("            {");
        for (var k = 0; k < methods.Count; k++)
        {
            code.AppendLine($"                new global::XmlRpc.Server.XmlRpcMethodDefinition(name{k}, (parameters, cancellationToken) => Invoke{k}(target, name{k}, parameters, cancellationToken), {XmlRpcGenerator.Literal(Help(methods[k].Method))}, Signature{k}),");
        }

        code.AppendLine("            };");
        code.AppendLine("        }");
        code.AppendLine();
        code.Append(body);
        code.Append(_mapper.Methods);
        code.AppendLine("    }");
        code.AppendLine("}");
        code.AppendLine();
        code.AppendLine("namespace XmlRpc.Server");
        code.AppendLine("{");
        code.AppendLine("    /// <summary>Registration of the classes bound at compile time, without reflection (trimming and Native AOT safe).</summary>");
        code.AppendLine("    internal static partial class XmlRpcGeneratedRegistryExtensions");
        code.AppendLine("    {");
        code.AppendLine($"        /// <summary>Registers the XML-RPC methods of <paramref name=\"instance\"/> through its generated binding (as <c>AddInstance</c> does, without reflection).</summary>");
        code.AppendLine($"        public static global::XmlRpc.Server.XmlRpcMethodRegistry AddGenerated(this global::XmlRpc.Server.XmlRpcMethodRegistry registry, {typeName} instance, string prefix = null)");
        code.AppendLine("        {");
        code.AppendLine("            if (registry is null) throw new global::System.ArgumentNullException(nameof(registry));");
        code.AppendLine($"            foreach (var definition in global::XmlRpc.Generated.{className}.Bind(instance, prefix)) registry.Add(definition);");
        code.AppendLine("            return registry;");
        code.AppendLine("        }");
        code.AppendLine("    }");
        code.AppendLine("}");
        return code.ToString();
    }

    private static string Help(IMethodSymbol method)
    {
        foreach (var name in new[] { "XmlRpc.Server.XmlRpcHelpAttribute", "System.ComponentModel.DescriptionAttribute" })
        {
            if (method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == name) is { } attribute
                && attribute.ConstructorArguments.FirstOrDefault().Value is string text)
            {
                return text;
            }
        }

        return string.Empty;
    }

    private void WriteInvoke(StringBuilder code, int k, IMethodSymbol method)
    {
        const string Value = "global::XmlRpc.XmlRpcValue";
        const string Bindings = "global::XmlRpc.Server.XmlRpcGeneratedBindings";
        var parameters = method.Parameters;
        var variadic = parameters.Length > 0 && parameters[parameters.Length - 1].IsParams && !XmlRpcGenerator.IsCancellationToken(parameters[parameters.Length - 1].Type)
            ? parameters[parameters.Length - 1]
            : null;
        var positional = parameters.Where(p => !XmlRpcGenerator.IsCancellationToken(p.Type) && !SymbolEqualityComparer.Default.Equals(p, variadic)).ToList();
        var (shape, result) = XmlRpcGenerator.Returns(method);

        var signature = new List<string> { result is null ? "nil" : TypeMapper.SignatureName(result) };
        signature.AddRange(positional.Select(p => TypeMapper.SignatureName(p.Type)));
        code.AppendLine($"        private static readonly string[][] Signature{k} = {{ new[] {{ {string.Join(", ", signature.Select(XmlRpcGenerator.Literal))} }} }};");
        code.AppendLine($"        private static readonly string[] Names{k} = {{ {string.Join(", ", positional.Select(p => XmlRpcGenerator.Literal(p.Name)))} }};");
        code.AppendLine($"        private static readonly bool[] Optional{k} = {{ {string.Join(", ", positional.Select(p => p.HasExplicitDefaultValue ? "true" : "false"))} }};");
        code.AppendLine();
        code.AppendLine($"        private static global::System.Threading.Tasks.ValueTask<{Value}> Invoke{k}({type.ToDisplayString(TypeMapper.Format)} target, string name, global::System.Collections.Generic.IReadOnlyList<{Value}> parameters, global::System.Threading.CancellationToken cancellationToken)");
        code.AppendLine("        {");
        code.AppendLine($"            {Bindings}.CheckArgumentCount(name, parameters.Count, Names{k}, Optional{k}, {(variadic is null ? "false" : "true")});");
        var arguments = new List<string>();
        var next = 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (XmlRpcGenerator.IsCancellationToken(p.Type))
            {
                arguments.Add("cancellationToken");
                continue;
            }

            var local = "a" + i.ToString(CultureInfo.InvariantCulture);
            arguments.Add(local);
            var display = p.Type.ToDisplayString(TypeMapper.Format);
            var parameterName = XmlRpcGenerator.Literal(p.Name);
            if (SymbolEqualityComparer.Default.Equals(p, variadic))
            {
                var element = ((IArrayTypeSymbol)p.Type).ElementType;
                code.AppendLine($"            var {local} = new {element.ToDisplayString(TypeMapper.Format)}[global::System.Math.Max(0, parameters.Count - {next})];");
                code.AppendLine($"            for (var j = 0; j < {local}.Length; j++)");
                code.AppendLine("            {");
                code.AppendLine($"                try {{ {local}[j] = {_mapper.Read(element, $"parameters[{next} + j]", "\"$\"")}; }}");
                code.AppendLine($"                catch (global::System.Exception e) when ({Bindings}.IsMappingError(e)) {{ throw {Bindings}.InvalidArgument(name, {next} + j, {parameterName}, e); }}");
                code.AppendLine("            }");
                continue;
            }

            var read = _mapper.Read(p.Type, $"parameters[{next}]", "\"$\"");
            var fallback = XmlRpcGenerator.DefaultValue(p) ?? $"default({display})";
            if (read == $"parameters[{next}]")
            {
                // An XmlRpcValue parameter takes the value as it came: nothing to convert, nothing to fail.
                code.AppendLine($"            var {local} = parameters.Count > {next} ? {read} : {fallback};");
            }
            else
            {
                code.AppendLine($"            {display} {local};");
                code.AppendLine($"            if (parameters.Count > {next})");
                code.AppendLine("            {");
                code.AppendLine($"                try {{ {local} = {read}; }}");
                code.AppendLine($"                catch (global::System.Exception e) when ({Bindings}.IsMappingError(e)) {{ throw {Bindings}.InvalidArgument(name, {next}, {parameterName}, e); }}");
                code.AppendLine("            }");
                code.AppendLine($"            else {local} = {fallback};");
            }

            next++;
        }

        var call = $"target.@{method.Name}({string.Join(", ", arguments)})";
        switch (shape)
        {
            case XmlRpcGenerator.ReturnShape.Void:
                code.AppendLine($"            {call};");
                code.AppendLine($"            return new global::System.Threading.Tasks.ValueTask<{Value}>({Value}.Nil);");
                break;
            case XmlRpcGenerator.ReturnShape.Value:
                code.AppendLine($"            var result = {call};");
                code.AppendLine($"            return new global::System.Threading.Tasks.ValueTask<{Value}>({_mapper.Write(result!, "result")});");
                break;
            default:
                code.AppendLine($"            return Await{k}({call});");
                break;
        }

        code.AppendLine("        }");
        code.AppendLine();
        if (shape is not (XmlRpcGenerator.ReturnShape.Void or XmlRpcGenerator.ReturnShape.Value))
        {
            code.AppendLine($"        private static async global::System.Threading.Tasks.ValueTask<{Value}> Await{k}({method.ReturnType.ToDisplayString(TypeMapper.Format)} pending)");
            code.AppendLine("        {");
            if (result is null)
            {
                code.AppendLine("            await pending.ConfigureAwait(false);");
                code.AppendLine($"            return {Value}.Nil;");
            }
            else
            {
                code.AppendLine("            var result = await pending.ConfigureAwait(false);");
                code.AppendLine($"            return {_mapper.Write(result, "result")};");
            }

            code.AppendLine("        }");
            code.AppendLine();
        }
    }
}
