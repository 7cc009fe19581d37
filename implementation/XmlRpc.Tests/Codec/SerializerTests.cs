using System.Numerics;
using Xunit;

namespace XmlRpc.Tests.Codec;

/// <summary>The .NET ↔ XML-RPC mapping.</summary>
public sealed class SerializerTests
{
    public sealed class Point
    {
        public int X { get; set; }

        [XmlRpcMember("why")]
        public int Y { get; set; }

        [XmlRpcIgnore]
        public int Secret { get; set; }

        public string? Label { get; set; }
    }

    public sealed record Person(string Name, int Age, string? Nickname = null, [property: XmlRpcMember("e-mail")] string? Email = null);

    public sealed record WithDefault(string Name, int Port = 8080);

    public sealed class Node
    {
        public Node? Next { get; set; }
    }

    public enum Color
    {
        Red,
    }

#pragma warning disable CA1051 // Public fields are what these tests map.
    public class Mixed
    {
        public int P1 { get; set; }

        public int F1;

        public int P2 { get; set; }

        public int F2;

        public virtual int V { get; set; }
    }

    public sealed class MixedDerived : Mixed
    {
        public int F3;

        public int P3 { get; set; }

        public override int V { get; set; }
    }

    public struct PlainPoint
    {
        public int X;
        public int Y;
    }
#pragma warning restore CA1051

    public class HiddenBase
    {
        public int X { get; set; }

        public int Y { get; set; }
    }

    public sealed class HidingDerived : HiddenBase
    {
        public new string X { get; set; } = string.Empty;
    }

    public readonly struct ReadOnlyPoint
    {
        public ReadOnlyPoint(int x, int y)
        {
            X = x;
            Y = y;
        }

        public int X { get; }

        public int Y { get; }
    }

    public readonly record struct PositionalPoint(int X, int Y);

    [Fact]
    public void ScalarsMapLikeCPython()
    {
        Assert.Equal(XmlRpcValue.FromInt32(5), XmlRpcSerializer.ToValue(5));
        Assert.Equal(XmlRpcValueKind.Int, XmlRpcSerializer.ToValue(5L).Kind);
        Assert.Equal(XmlRpcValueKind.I8, XmlRpcSerializer.ToValue(1L << 40).Kind);
        Assert.Equal(XmlRpcValueKind.BigInteger, XmlRpcSerializer.ToValue(BigInteger.Pow(2, 70)).Kind);
        Assert.Equal(XmlRpcValue.True, XmlRpcSerializer.ToValue(true));
        Assert.Equal(XmlRpcValue.FromString("x"), XmlRpcSerializer.ToValue("x"));
        Assert.Equal(XmlRpcValue.FromDouble(1.5), XmlRpcSerializer.ToValue(1.5f));
        Assert.True(XmlRpcSerializer.ToValue(null).IsNil);
        Assert.Equal(XmlRpcValue.FromBase64([1, 2]), XmlRpcSerializer.ToValue(new byte[] { 1, 2 }));
        Assert.Equal(XmlRpcValue.FromBase64([1, 2]), XmlRpcSerializer.ToValue(new ReadOnlyMemory<byte>([1, 2])));
        Assert.Equal("20050210T11:41:23", XmlRpcSerializer.ToValue(new DateTime(2005, 2, 10, 11, 41, 23, 999)).AsDateTimeText());
        Assert.Equal("20050210T11:41:23", XmlRpcSerializer.ToValue(new DateTimeOffset(2005, 2, 10, 11, 41, 23, TimeSpan.FromHours(5))).AsDateTimeText());
    }

    [Fact]
    public void Int64BeyondInt32CanBeRefusedAtMappingTime() =>
        Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.ToValue(1L << 40, new XmlRpcSerializerOptions { AllowInt64 = false }));

    [Fact]
    public void CollectionsAndDictionariesMap()
    {
        Assert.Equal(XmlRpcValue.Array(1, 2), XmlRpcSerializer.ToValue(new[] { 1, 2 }));
        Assert.Equal(XmlRpcValue.Array("a"), XmlRpcSerializer.ToValue(new List<string> { "a" }));
        Assert.Equal(XmlRpcValue.Array(1, 2), XmlRpcSerializer.ToValue(Enumerable.Range(1, 2)));
        var dict = XmlRpcSerializer.ToValue(new Dictionary<string, object?> { ["b"] = 1, ["a"] = null });
        Assert.True(dict.Equals(XmlRpcValue.Struct(("b", 1), ("a", XmlRpcValue.Nil)), orderedStructs: true));
        Assert.Equal(XmlRpcValue.Struct(("k", 1)), XmlRpcSerializer.ToValue(new System.Collections.ObjectModel.ReadOnlyDictionary<string, int>(new Dictionary<string, int> { ["k"] = 1 })));
        Assert.Contains("key", Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.ToValue(new Dictionary<int, int> { [1] = 1 })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ObjectsBecomeStructsInDeclarationOrder()
    {
        var value = XmlRpcSerializer.ToValue(new Point { X = 1, Y = 2, Secret = 3, Label = null });
        Assert.True(value.Equals(XmlRpcValue.Struct(("X", 1), ("why", 2), ("Label", XmlRpcValue.Nil)), orderedStructs: true));
        var skipNull = XmlRpcSerializer.ToValue(new Point { X = 1 }, new XmlRpcSerializerOptions { IgnoreNullMembers = true });
        Assert.False(skipNull.TryGetMember("Label", out _));
        Assert.True(XmlRpcSerializer.ToValue(new { a = 1, b = "x" }).Equals(XmlRpcValue.Struct(("a", 1), ("b", "x")), orderedStructs: true));
    }

    [Fact]
    public void PropertiesComeBeforeFieldsEachInDeclarationOrder()
    {
        // Sorting by metadata token put every field before every property ({F1, F2, P1, P2}) although the docs promised declaration order.
        var mixed = XmlRpcSerializer.ToValue(new Mixed { P1 = 1, F1 = 2, P2 = 3, F2 = 4, V = 5 });
        Assert.Equal(["P1", "P2", "V", "F1", "F2"], mixed.StructMembers.Select(m => m.Key));

        // Base class first; an override keeps the place of the property it overrides.
        var derived = XmlRpcSerializer.ToValue(new MixedDerived { P1 = 1, P3 = 6, F3 = 7 });
        Assert.Equal(["P1", "P2", "V", "F1", "F2", "P3", "F3"], derived.StructMembers.Select(m => m.Key));
        Assert.Equal(6, XmlRpcSerializer.FromValue<MixedDerived>(derived).P3);
    }

    [Fact]
    public void AMemberHiddenWithNewGivesWayToTheHidingMember()
    {
        // "maps two members to the struct member 'X'" before: the most derived declaration wins, as in C#.
        var value = XmlRpcSerializer.ToValue(new HidingDerived { X = "a", Y = 1 });
        Assert.True(value.Equals(XmlRpcValue.Struct(("Y", 1), ("X", "a")), orderedStructs: true), value.ToString());
        var back = XmlRpcSerializer.FromValue<HidingDerived>(XmlRpcValue.Struct(("X", "b"), ("Y", 2)));
        Assert.Equal(("b", 2), (back.X, back.Y));
    }

    [Fact]
    public void ValueTypesAreReadThroughTheirConstructorNotSilentlyLeftDefault()
    {
        // A readonly struct's get-only properties came back as 0 with no error.
        var value = XmlRpcValue.Struct(("X", 5), ("Y", 6));
        Assert.Equal(new ReadOnlyPoint(5, 6), XmlRpcSerializer.FromValue<ReadOnlyPoint>(value));
        Assert.Equal(new PositionalPoint(5, 6), XmlRpcSerializer.FromValue<PositionalPoint>(value));
        Assert.Equal(new ReadOnlyPoint(5, 6), XmlRpcSerializer.FromValue<ReadOnlyPoint>(XmlRpcSerializer.ToValue(new ReadOnlyPoint(5, 6))));
        Assert.Contains("'Y'", Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.FromValue<ReadOnlyPoint>(XmlRpcValue.Struct(("X", 5)))).Message, StringComparison.Ordinal);

        // A struct that declares no constructor is still filled through its fields.
        var plain = XmlRpcSerializer.FromValue<PlainPoint>(value);
        Assert.Equal((5, 6), (plain.X, plain.Y));
    }

    [Fact]
    public void RecordsRoundTripThroughTheirConstructor()
    {
        var person = new Person("Ann", 41, null, "ann@example.org");
        var value = XmlRpcSerializer.ToValue(person);
        Assert.Equal(XmlRpcValue.FromString("ann@example.org"), value["e-mail"]);
        Assert.Equal(person, XmlRpcSerializer.FromValue<Person>(value));
        Assert.Equal(new Person("Bo", 3), XmlRpcSerializer.FromValue<Person>(XmlRpcValue.Struct(("Name", "Bo"), ("Age", 3), ("unknown", 1))));
        Assert.Equal(new WithDefault("x"), XmlRpcSerializer.FromValue<WithDefault>(XmlRpcValue.Struct(("Name", "x"))));
    }

    [Fact]
    public void MissingRequiredMembersAreReported()
    {
        var e = Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.FromValue<Person>(XmlRpcValue.Struct(("Name", "Bo"))));
        Assert.Contains("'Age'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'X'", Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.FromValue<Point>(XmlRpcValue.Struct(("why", 1)))).Message, StringComparison.Ordinal);
        var point = XmlRpcSerializer.FromValue<Point>(XmlRpcValue.Struct(("X", 1), ("why", 2)));
        Assert.Equal((1, 2, (string?)null), (point.X, point.Y, point.Label));
    }

    [Fact]
    public void GenericTargetsAreFilled()
    {
        var array = XmlRpcValue.Array(1, 2, 3);
        Assert.Equal([1, 2, 3], XmlRpcSerializer.FromValue<int[]>(array));
        Assert.Equal([1L, 2L, 3L], XmlRpcSerializer.FromValue<List<long>>(array));
        Assert.Equal([1, 2, 3], XmlRpcSerializer.FromValue<IReadOnlyList<int>>(array));
        Assert.Equal([1.0, 2.0, 3.0], XmlRpcSerializer.FromValue<IEnumerable<double>>(array));
        var dict = XmlRpcSerializer.FromValue<Dictionary<string, int?>>(XmlRpcValue.Struct(("a", 1), ("b", XmlRpcValue.Nil)));
        Assert.Equal(1, dict["a"]);
        Assert.Null(dict["b"]);
        Assert.Equal(2, XmlRpcSerializer.FromValue<IDictionary<string, string>>(XmlRpcValue.Struct(("a", "x"), ("b", "y"))).Count);
        Assert.Equal(new DateTime(2005, 2, 10, 11, 41, 23), XmlRpcSerializer.FromValue<DateTime>(XmlRpcValue.FromDateTimeText("20050210T11:41:23")));
        Assert.Equal(new byte[] { 7 }, XmlRpcSerializer.FromValue<byte[]>(XmlRpcValue.FromBase64([7])));
        Assert.Same(array, XmlRpcSerializer.FromValue<XmlRpcValue>(array));
    }

    [Fact]
    public void ObjectGetsNaturalTypes()
    {
        var value = XmlRpcValue.Struct(
            ("i", 1), ("l", XmlRpcValue.FromInt64(1L << 40)), ("s", "x"), ("d", 0.5), ("b", true), ("n", XmlRpcValue.Nil),
            ("t", XmlRpcValue.FromDateTimeText("20050210T11:41:23")), ("g", XmlRpcValue.FromDateTimeText("garbage")),
            ("a", XmlRpcValue.Array(1)), ("bytes", XmlRpcValue.FromBase64([1])));
        var natural = Assert.IsType<Dictionary<string, object?>>(XmlRpcSerializer.FromValue<object>(value));
        Assert.Equal(1, natural["i"]);
        Assert.Equal(1L << 40, natural["l"]);
        Assert.Equal("x", natural["s"]);
        Assert.Equal(0.5, natural["d"]);
        Assert.Equal(true, natural["b"]);
        Assert.Null(natural["n"]);
        Assert.Equal(new DateTime(2005, 2, 10, 11, 41, 23), natural["t"]);
        Assert.Equal("garbage", natural["g"]);
        Assert.Equal(new object?[] { 1 }, natural["a"]);
        Assert.Equal(new byte[] { 1 }, natural["bytes"]);
    }

    [Fact]
    public void UnmappableThingsSayWhy()
    {
        Assert.Contains("Decimal", Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.ToValue(1.5m)).Message, StringComparison.Ordinal);
        Assert.Contains("enum", Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.ToValue(Color.Red)).Message, StringComparison.Ordinal);
        Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.ToValue(new DateOnly(2000, 1, 1)));
        Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.ToValue(typeof(string)));
        var node = new Node();
        node.Next = node;
        Assert.Contains("recursive", Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.ToValue(node)).Message, StringComparison.Ordinal);
        Assert.Contains("Int32", Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.FromValue<int>(XmlRpcValue.FromString("5"))).Message, StringComparison.Ordinal);
        Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.FromValue<int>(XmlRpcValue.Nil));
        Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.FromValue<byte>(XmlRpcValue.FromInt32(300)));
        Assert.Throws<XmlRpcMappingException>(() => XmlRpcSerializer.FromValue<Person>(XmlRpcValue.Array()));
    }

    [Fact]
    public void ARaisedDepthLimitIsAMappingErrorNotAStackOverflow()
    {
        // With MaxDepth raised, ToValue and FromValue recursed 100 000 levels and overflowed the stack (a process crash).
        const int depth = 100_000;
        var options = new XmlRpcSerializerOptions { MaxDepth = 1_000_000 };
        object? arrays = null;
        var nodes = new Node();
        var array = XmlRpcValue.Array();
        var structure = XmlRpcValue.Struct();
        for (var i = 0; i < depth; i++)
        {
            arrays = new object?[] { arrays };
            nodes = new Node { Next = nodes };
            array = XmlRpcValue.Array(array);
            structure = XmlRpcValue.Struct(("Next", structure));
        }

        foreach (var map in new Action[]
        {
            () => XmlRpcSerializer.ToValue(arrays, options),
            () => XmlRpcSerializer.ToValue(nodes, options),
            () => XmlRpcSerializer.FromValue<object>(array, options),
            () => XmlRpcSerializer.FromValue<object>(structure, options),
            () => XmlRpcSerializer.FromValue<Node>(structure, options),
            () => XmlRpcSerializer.FromValue<List<object>>(array, options),
        })
        {
            var e = Assert.IsType<XmlRpcMappingException>(SmallStack.Run(map));
            Assert.Contains("too deep for this thread's stack", e.Message, StringComparison.Ordinal);
            Assert.True(e.Message.Length < 600, e.Message);
        }
    }

    [Fact]
    public void SharedButNotRecursiveObjectsAreWrittenTwice()
    {
        var shared = new[] { 1 };
        Assert.Equal(XmlRpcValue.Array(XmlRpcValue.Array(1), XmlRpcValue.Array(1)), XmlRpcSerializer.ToValue(new[] { shared, shared }));
    }
}
