using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace XmlRpc.Generators;

/// <summary>
/// Writes the reflection-free conversions between <c>XmlRpcValue</c> and the CLR types of one contract, as
/// <c>XmlRpcSerializer</c> maps them with its default options (same wire form, same error texts).
/// </summary>
/// <remarks>
/// Mapped: <c>XmlRpcValue</c>, <c>int</c>, <c>bool</c>, <c>double</c>, <c>string</c>, <c>DateTime</c>,
/// <c>byte[]</c>, <c>int?</c>/<c>bool?</c>/<c>double?</c>/<c>DateTime?</c>, arrays and <c>List&lt;T&gt;</c>,
/// <c>IList&lt;T&gt;</c>, <c>IReadOnlyList&lt;T&gt;</c> of mapped types, and classes with a public parameterless
/// constructor whose public properties and fields are mapped (struct members named by <c>[XmlRpcMember]</c>, left out
/// by <c>[XmlRpcIgnore]</c>, optional when nullable or <c>Optional = true</c>), except classes that contain
/// themselves (the serializer detects such cycles at run time) or have init-only, required, overriding or hiding
/// members. Everything else is reported as unmapped, and the contract falls back to reflection.
/// </remarks>
internal sealed class TypeMapper
{
    private const string Mapping = "global::XmlRpc.XmlRpcGeneratedMapping";
    private const string Value = "global::XmlRpc.XmlRpcValue";

    private readonly Dictionary<ITypeSymbol, string> _readers = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ITypeSymbol, string> _writers = new(SymbolEqualityComparer.Default);
    private readonly StringBuilder _methods = new();

    public static readonly SymbolDisplayFormat Format = SymbolDisplayFormat.FullyQualifiedFormat;

    /// <summary>The helper methods written so far (readers and writers of arrays, lists and classes).</summary>
    public string Methods => _methods.ToString();

    /// <summary>Why <paramref name="type"/> cannot be mapped, or <see langword="null"/> when it can.</summary>
    public string? Check(ITypeSymbol type) => Check(type, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));

    /// <summary>The expression that reads <paramref name="value"/> (an <c>XmlRpcValue</c>) at path <paramref name="where"/> as <paramref name="type"/>.</summary>
    public string Read(ITypeSymbol type, string value, string where)
    {
        switch (Scalar(type))
        {
            case "value": return value;
            case "int": return $"{Mapping}.ToInt32({value}, {where})";
            case "bool": return $"{Mapping}.ToBoolean({value}, {where})";
            case "double": return $"{Mapping}.ToDouble({value}, {where})";
            case "DateTime": return $"{Mapping}.ToDateTime({value}, {where})";
            case "string": return $"{Mapping}.ToString({value}, {where})";
            case "bytes": return $"{Mapping}.ToBytes({value}, {where})";
        }

        if (Underlying(type) is { } underlying)
        {
            return $"({value}.IsNil ? ({type.ToDisplayString(Format)})null : {Read(underlying, value, where)})";
        }

        return $"{ReaderName(type)}({value}, {where})";
    }

    /// <summary>The expression that writes <paramref name="expression"/> of <paramref name="type"/> as an <c>XmlRpcValue</c>.</summary>
    public string Write(ITypeSymbol type, string expression)
    {
        switch (Scalar(type))
        {
            case "value": return $"({expression} ?? {Value}.Nil)";
            case "int": return $"{Value}.FromInt32({expression})";
            case "bool": return $"{Value}.FromBoolean({expression})";
            case "double": return $"{Value}.FromDouble({expression})";
            case "DateTime": return $"{Value}.FromDateTime({expression})";
            case "string": return $"({expression} is null ? {Value}.Nil : {Value}.FromString({expression}))";
            case "bytes": return $"({expression} is null ? {Value}.Nil : {Value}.FromBase64({expression}))";
        }

        if (Underlying(type) is { } underlying)
        {
            return $"({expression}.HasValue ? {Write(underlying, expression + ".Value")} : {Value}.Nil)";
        }

        return $"{WriterName(type)}({expression})";
    }

    /// <summary>The <c>system.methodSignature</c> name of a type, as the server's reflection binding names it.</summary>
    public static string SignatureName(ITypeSymbol type)
    {
        var scalar = Scalar(type) ?? (Underlying(type) is { } u ? Scalar(u) : null);
        return scalar switch
        {
            "value" => "any",
            "int" => "int",
            "bool" => "boolean",
            "double" => "double",
            "DateTime" => "dateTime.iso8601",
            "string" => "string",
            "bytes" => "base64",
            _ => type is IArrayTypeSymbol || ElementType(type) is not null ? "array" : "struct",
        };
    }

    /// <summary><see cref="System.Type.Name"/> of a type, as the serializer's error texts name it.</summary>
    private static string ClrName(ITypeSymbol type) =>
        type is IArrayTypeSymbol array ? ClrName(array.ElementType) + "[]" : type.MetadataName;

    private static string? Scalar(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Int32 => "int",
        SpecialType.System_Boolean => "bool",
        SpecialType.System_Double => "double",
        SpecialType.System_String => "string",
        SpecialType.System_DateTime => "DateTime",
        _ => type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte } ? "bytes"
            : type.ToDisplayString(Format) == "global::XmlRpc.XmlRpcValue" ? "value"
            : null,
    };

    private static ITypeSymbol? Underlying(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : null;

    private static ITypeSymbol? ElementType(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { IsGenericType: true } named)
        {
            var definition = named.OriginalDefinition.ToDisplayString(Format);
            if (definition is "global::System.Collections.Generic.List<T>" or "global::System.Collections.Generic.IList<T>" or "global::System.Collections.Generic.IReadOnlyList<T>")
            {
                return named.TypeArguments[0];
            }
        }

        return null;
    }

    private string? Check(ITypeSymbol type, HashSet<ITypeSymbol> path)
    {
        type = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        if (Scalar(type) is not null)
        {
            return null;
        }

        if (Underlying(type) is { } underlying)
        {
            return underlying.SpecialType is SpecialType.System_Int32 or SpecialType.System_Boolean or SpecialType.System_Double or SpecialType.System_DateTime
                ? null
                : $"'{type.ToDisplayString()}' has no generated mapping";
        }

        if (type is IArrayTypeSymbol array)
        {
            return array.Rank == 1 ? Check(array.ElementType, path) : $"'{type.ToDisplayString()}' is a multi-dimensional array";
        }

        if (ElementType(type) is { } element)
        {
            return Check(element, path);
        }

        return CheckClass(type, path);
    }

    private string? CheckClass(ITypeSymbol type, HashSet<ITypeSymbol> path)
    {
        var display = type.ToDisplayString();
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false, IsGenericType: false, IsStatic: false } named
            || IsFramework(type))
        {
            return $"'{display}' has no generated mapping (mapped: XmlRpcValue, int, bool, double, string, DateTime, byte[], their nullable forms, arrays and lists of mapped types, and classes of mapped members)";
        }

        if (!IsAccessible(named))
        {
            return $"'{display}' is not accessible to generated code";
        }

        if (!named.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public))
        {
            return $"'{display}' has no public parameterless constructor";
        }

        if (!path.Add(type))
        {
            return $"'{display}' contains itself";
        }

        foreach (var member in DataMembers(named))
        {
            if (member.Problem is { } problem)
            {
                return $"'{display}.{member.Symbol.Name}' {problem}";
            }

            if (Check(member.Type, path) is { } inner)
            {
                return inner;
            }
        }

        if (DataMembers(named).GroupBy(m => m.WireName).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            return $"'{display}' maps two members to the struct member '{duplicate.Key}'";
        }

        path.Remove(type);
        return null;
    }

    private static bool IsFramework(ITypeSymbol type)
    {
        var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal) || ns.StartsWith("Microsoft.", System.StringComparison.Ordinal);
    }

    public static bool IsAccessible(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A class's struct members in the serializer's order: base class first, properties before fields, declaration order.</summary>
    private static List<DataMember> DataMembers(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var t = type; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        var members = new List<DataMember>();
        foreach (var t in chain)
        {
            var own = t.GetMembers().Where(m => !m.IsStatic && m.DeclaredAccessibility == Accessibility.Public && !m.IsImplicitlyDeclared).ToList();
            foreach (var p in own.OfType<IPropertySymbol>().Where(p => !p.IsIndexer && p.GetMethod is { DeclaredAccessibility: Accessibility.Public }))
            {
                members.Add(Member(p, p.Type, p.SetMethod is { DeclaredAccessibility: Accessibility.Public, IsInitOnly: false },
                    p.IsOverride || p.IsVirtual || p.IsAbstract ? "is virtual or overrides" : p.SetMethod is { DeclaredAccessibility: Accessibility.Public, IsInitOnly: true } ? "is init-only" : p.IsRequired ? "is required" : null));
            }

            foreach (var f in own.OfType<IFieldSymbol>().Where(f => !f.IsConst))
            {
                members.Add(Member(f, f.Type, !f.IsReadOnly, f.IsRequired ? "is required" : null));
            }
        }

        if (members.GroupBy(m => m.Symbol.Name).Any(g => g.Count() > 1))
        {
            return [.. members.Select(m => m with { Problem = "hides a member of a base class" })];
        }

        return members.Where(m => !HasAttribute(m.Symbol, "XmlRpc.XmlRpcIgnoreAttribute")).ToList();
    }

    private static DataMember Member(ISymbol symbol, ITypeSymbol type, bool settable, string? problem)
    {
        var attribute = symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "XmlRpc.XmlRpcMemberAttribute");
        var wireName = attribute?.ConstructorArguments.FirstOrDefault().Value as string ?? symbol.Name;
        var optional = attribute?.NamedArguments.Any(a => a.Key == "Optional" && a.Value.Value is true) == true
            || Underlying(type) is not null
            || (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated);
        return new DataMember(symbol, type, wireName, settable, optional, problem);
    }

    private static bool HasAttribute(ISymbol symbol, string name) =>
        symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == name);

    private static string Id(ITypeSymbol type)
    {
        var text = new StringBuilder();
        foreach (var c in type.ToDisplayString(Format).Replace("global::", string.Empty))
        {
            text.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return text.ToString();
    }

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    private string ReaderName(ITypeSymbol type)
    {
        if (_readers.TryGetValue(type, out var name))
        {
            return name;
        }

        name = "Read_" + Id(type);
        _readers[type] = name;
        var display = type.ToDisplayString(Format);
        var code = new StringBuilder();
        code.Append("        private static ").Append(display).Append(' ').Append(name).AppendLine("(" + Value + " value, string where)");
        code.AppendLine("        {");
        if (type is IArrayTypeSymbol || ElementType(type) is not null)
        {
            var element = type is IArrayTypeSymbol array ? array.ElementType : ElementType(type)!;
            var elementDisplay = element.ToDisplayString(Format);
            code.AppendLine($"            var items = {Mapping}.Items(value, {Literal(ClrName(type))}, where);");
            code.AppendLine("            if (items is null) return null;");
            code.AppendLine(type is IArrayTypeSymbol
                ? $"            var result = new {elementDisplay}[items.Length];"
                : $"            var result = new global::System.Collections.Generic.List<{elementDisplay}>(items.Length);");
            code.AppendLine("            for (var i = 0; i < items.Length; i++)");
            code.AppendLine("            {");
            var read = Read(element, "items[i]", $"{Mapping}.Index(where, i)");
            code.AppendLine(type is IArrayTypeSymbol ? $"                result[i] = {read};" : $"                result.Add({read});");
            code.AppendLine("            }");
            code.AppendLine("            return result;");
        }
        else
        {
            var clrName = Literal(ClrName(type));
            code.AppendLine($"            if (!{Mapping}.IsStruct(value, {clrName}, where)) return null;");
            code.AppendLine($"            var result = new {display}();");
            code.AppendLine($"            {Value} item;");
            foreach (var member in DataMembers((INamedTypeSymbol)type).Where(m => m.Settable))
            {
                var wire = Literal(member.WireName);
                code.AppendLine($"            if (value.TryGetMember({wire}, out item)) result.@{member.Symbol.Name} = {Read(member.Type, "item", $"where + {Literal("." + member.WireName)}")};");
                if (!member.Optional)
                {
                    code.AppendLine($"            else throw {Mapping}.MissingMember({clrName}, where, {wire});");
                }
            }

            code.AppendLine("            return result;");
        }

        code.AppendLine("        }");
        code.AppendLine();
        _methods.Append(code);
        return name;
    }

    private string WriterName(ITypeSymbol type)
    {
        if (_writers.TryGetValue(type, out var name))
        {
            return name;
        }

        name = "Write_" + Id(type);
        _writers[type] = name;
        var code = new StringBuilder();
        code.Append("        private static ").Append(Value).Append(' ').Append(name).AppendLine("(" + type.ToDisplayString(Format) + " value)");
        code.AppendLine("        {");
        code.AppendLine($"            if (value is null) return {Value}.Nil;");
        if (type is IArrayTypeSymbol || ElementType(type) is not null)
        {
            var element = type is IArrayTypeSymbol array ? array.ElementType : ElementType(type)!;
            var count = type is IArrayTypeSymbol ? "Length" : "Count";
            code.AppendLine($"            var items = new {Value}[value.{count}];");
            code.AppendLine("            for (var i = 0; i < items.Length; i++)");
            code.AppendLine("            {");
            code.AppendLine($"                items[i] = {Write(element, "value[i]")};");
            code.AppendLine("            }");
            code.AppendLine($"            return {Mapping}.Array(items);");
        }
        else
        {
            code.AppendLine($"            return {Mapping}.Struct(new global::System.Collections.Generic.KeyValuePair<string, {Value}>[]");
            code.AppendLine("            {");
            foreach (var member in DataMembers((INamedTypeSymbol)type))
            {
                code.AppendLine($"                new global::System.Collections.Generic.KeyValuePair<string, {Value}>({Literal(member.WireName)}, {Write(member.Type, "value.@" + member.Symbol.Name)}),");
            }

            code.AppendLine("            });");
        }

        code.AppendLine("        }");
        code.AppendLine();
        _methods.Append(code);
        return name;
    }

    private sealed record DataMember(ISymbol Symbol, ITypeSymbol Type, string WireName, bool Settable, bool Optional, string? Problem);
}
