using System.Text;

namespace BudgetActors.Api.Tests.Fuzz;

/// <summary>
/// Structure-aware mutations of valid request bodies, driven by one seeded <see cref="Random"/> so
/// that a run is reproduced by its seed: values replaced by hostile ones (nulls, wrong types, numbers
/// at and just past the API's bounds, long and odd strings, ids of another tenant), members removed,
/// added, duplicated or renamed, arrays emptied or padded with nulls, deep nesting, and now and then
/// a body broken as text (truncated, trailing garbage, not UTF-8).
/// </summary>
public sealed class BodyMutator(Random random, IReadOnlyList<string> foreignIds)
{
    /// <summary>Numbers as raw JSON text: the bounds of cost (10^12) and counts (10^15) and the next value either side, the edges of int, long and decimal, and text that is not a JSON number at all.</summary>
    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "0.5", "1.5", "-1.5", "0.000001", "0.0000001", "1e-7", "1E3", "1.0E+12", "-0.000001",
        "999999999999.999999", "999999999999.9999999999999999", "1000000000000", "1000000000000.0000000000000001",
        "1000000000000.000001", "1000000000001", "1e12", "1E+12",
        "999999999999999", "1000000000000000", "1000000000000001", "1e15", "1000000000000000.5",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616",
        "79228162514264337593543950335", "79228162514264337593543950336", "-79228162514264337593543950336", "1e28", "1e29",
        "1e308", "1e309", "1e400", "-1e400", "1e-400", "0.1234567890123456789012345678901", "604800", "604801", "1000", "1001", "-1001",
        "10000000", "10000001", "100", "100.000001", "0.0000000000000000000000000001",
        "NaN", "Infinity", "-Infinity", "01", "+1", ".5", "1.", "0x10", "1e", "--1",
    ];

    private static readonly string[] Strings =
    [
        "", " ", "x", "5", "1e400", "NaN", "true", "null", "gpt-4o", "fz-model", "claude-sonnet-4-5", "daily", "hard", "soft", "service",
        "tenant-admin", "admin", "openai", "anthropic", "batch", "o200k_base", "user", "assistant", "staging", "big", "x",
        "2026-01-01T00:00:00Z", "2026-13-45T99:00:00Z", "yesterday", "Europe/Paris", "Mars/Olympus", "usd", "USD", "EURO",
        "a b", "a*", "*", "al!ce", "../..", "a/b", "%2F", "é", "日本語", "💥", "\u202eevil", "tab\there", "line\nbreak", "nul\u0000",
        "\ud800", "<script>", "' OR 1=1 --", "{\"json\":\"in a string\"}",
    ];

    private readonly IReadOnlyList<string> _foreignIds = foreignIds;

    /// <summary>The body of one generated request, as bytes for the wire.</summary>
    public byte[] Mutate(JsonTree template)
    {
        if (random.NextDouble() < 0.07)
        {
            return BreakText(template.ToString());
        }

        var tree = template.Copy();
        // Mostly one change, so that the rest of the body stays valid and the request gets as far as pricing.
        var mutations = random.NextDouble() switch { < 0.65 => 1, < 0.9 => 2, _ => 3 };
        for (var i = 0; i < mutations; i++)
        {
            tree = MutateOnce(tree);
        }

        return Encoding.UTF8.GetBytes(tree.ToString());
    }

    private JsonTree MutateOnce(JsonTree root)
    {
        var slots = new List<Slot> { new RootSlot() };
        Collect(root, slots);
        var leaves = slots.Where(s => s.Get(root) is JsonRaw).ToList();
        if (leaves.Count > 0 && random.NextDouble() < 0.4)
        {
            // A value of the same kind, at or past its bound: the body stays well formed, the number or text does not.
            var leaf = leaves[random.Next(leaves.Count)];
            var text = ((JsonRaw)leaf.Get(root)).Text;
            return leaf.Set(root, text.StartsWith('"') ? JsonTree.String(random.Next(3) == 0 ? Pick(_foreignIds) : Text()) : new JsonRaw(Number()));
        }

        var slot = slots[random.Next(slots.Count)];
        var current = slot.Get(root);
        var roll = random.NextDouble();

        if (roll < 0.45)
        {
            return slot.Set(root, Hostile());
        }

        if (roll < 0.55 && current is JsonObjectTree removeFrom && removeFrom.Members.Count > 0)
        {
            removeFrom.Members.RemoveAt(random.Next(removeFrom.Members.Count));
            return root;
        }

        if (roll < 0.62 && current is JsonObjectTree addTo)
        {
            addTo.Members.Insert(random.Next(addTo.Members.Count + 1), new JsonMember(Pick(["note", "extra", "Cost", "__proto__", "", "idempotencykey", "$type"]), Hostile()));
            return root;
        }

        if (roll < 0.70 && current is JsonObjectTree duplicateIn && duplicateIn.Members.Count > 0)
        {
            var member = duplicateIn.Members[random.Next(duplicateIn.Members.Count)];
            duplicateIn.Members.Add(new JsonMember(member.Name, random.Next(2) == 0 ? member.Value.Copy() : Hostile()));
            return root;
        }

        if (roll < 0.74 && current is JsonObjectTree renameIn && renameIn.Members.Count > 0)
        {
            var at = random.Next(renameIn.Members.Count);
            var name = renameIn.Members[at].Name;
            renameIn.Members[at] = renameIn.Members[at] with { Name = random.Next(2) == 0 ? name.ToUpperInvariant() : name + " " };
            return root;
        }

        if (roll < 0.84 && current is JsonArrayTree array)
        {
            switch (random.Next(4))
            {
                case 0:
                    array.Items.Insert(random.Next(array.Items.Count + 1), new JsonRaw("null"));
                    break;
                case 1:
                    array.Items.Clear();
                    break;
                case 2 when array.Items.Count > 0:
                    var item = array.Items[random.Next(array.Items.Count)];
                    for (var n = random.Next(1, 48); n > 0; n--)
                    {
                        array.Items.Add(item.Copy());
                    }

                    break;
                default:
                    array.Items.Insert(random.Next(array.Items.Count + 1), Hostile());
                    break;
            }

            return root;
        }

        if (roll < 0.90)
        {
            return slot.Set(root, random.Next(2) == 0 ? new JsonArrayTree([current]) : new JsonObjectTree([new JsonMember("value", current)]));
        }

        if (roll < 0.93)
        {
            return slot.Set(root, Nested(Pick([15, 16, 17, 64, 1000])));
        }

        // A part of the body where another part goes (an amount where attributes go, say).
        var other = slots[random.Next(slots.Count)].Get(root).Copy();
        return slot.Set(root, other);
    }

    /// <summary>A hostile value of any JSON type.</summary>
    public JsonTree Hostile() => random.Next(10) switch
    {
        0 => new JsonRaw(Pick(["null", "true", "false"])),
        1 or 2 or 3 => new JsonRaw(Number()),
        4 or 5 => JsonTree.String(Text()),
        6 => JsonTree.String(Pick(_foreignIds)),
        7 => new JsonRaw(Pick(["{}", "[]", "[null]", "[{}]", "{\"a\":1}", "[1,2,3]", "[\"x\"]", "{\"cost\":1}", "{\"user\":\"alice\"}"])),
        8 => new JsonRaw("null"),
        _ => new JsonRaw(Pick(["\"\"", "0", "-1", "1e400", "{}"])),
    };

    private string Number()
    {
        if (random.Next(3) > 0)
        {
            return Pick(Numbers);
        }

        // A random magnitude, with a fraction of a random length: exact in decimal or just past its precision.
        var integer = new StringBuilder(random.Next(2) == 0 ? "-" : "");
        integer.Append(1 + random.Next(9)).Append('0', random.Next(30));
        return random.Next(2) == 0 ? integer.ToString() : $"{integer}.{new string('7', 1 + random.Next(30))}";
    }

    private string Text() => random.Next(6) switch
    {
        0 => new string('a', Pick([128, 129, 256, 257, 300, 5000])),
        1 => string.Concat(Enumerable.Repeat("💥é", Pick([64, 65, 128, 129, 2000]))),
        _ => Pick(Strings),
    };

    private static JsonTree Nested(int depth)
    {
        JsonTree tree = new JsonRaw("1");
        for (var i = 0; i < depth; i++)
        {
            tree = i % 2 == 0 ? new JsonArrayTree([tree]) : new JsonObjectTree([new JsonMember("a", tree)]);
        }

        return tree;
    }

    /// <summary>A body that is not JSON, or not one JSON value, or not UTF-8.</summary>
    private byte[] BreakText(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return random.Next(8) switch
        {
            0 => [],
            1 => bytes[..random.Next(bytes.Length)],
            2 => Encoding.UTF8.GetBytes(json + Pick(["}", "x", " {}", ",", "\u0000"])),
            3 => Encoding.UTF8.GetBytes($"[{json},{json}]"),
            4 => [0xEF, 0xBB, 0xBF, .. bytes], // a byte order mark
            5 => Encoding.UTF8.GetBytes("/* comment */" + json),
            6 => Encoding.UTF8.GetBytes(json.Replace('"', '\'')),
            _ => [.. bytes[..(bytes.Length / 2)], 0xFF, 0xC0, .. bytes[(bytes.Length / 2)..]],
        };
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static void Collect(JsonTree tree, List<Slot> slots)
    {
        switch (tree)
        {
            case JsonObjectTree obj:
                for (var i = 0; i < obj.Members.Count; i++)
                {
                    slots.Add(new MemberSlot(obj, i));
                    Collect(obj.Members[i].Value, slots);
                }

                break;
            case JsonArrayTree array:
                for (var i = 0; i < array.Items.Count; i++)
                {
                    slots.Add(new ItemSlot(array, i));
                    Collect(array.Items[i], slots);
                }

                break;
        }
    }

    /// <summary>A place in the tree whose value can be read and replaced.</summary>
    private abstract record Slot
    {
        public abstract JsonTree Get(JsonTree root);

        /// <returns>The root after the change (a new one when the root itself is replaced).</returns>
        public abstract JsonTree Set(JsonTree root, JsonTree value);
    }

    private sealed record RootSlot : Slot
    {
        public override JsonTree Get(JsonTree root) => root;

        public override JsonTree Set(JsonTree root, JsonTree value) => value;
    }

    private sealed record MemberSlot(JsonObjectTree Parent, int Index) : Slot
    {
        public override JsonTree Get(JsonTree root) => Parent.Members.Count > Index ? Parent.Members[Index].Value : root;

        public override JsonTree Set(JsonTree root, JsonTree value)
        {
            if (Parent.Members.Count > Index)
            {
                Parent.Members[Index] = Parent.Members[Index] with { Value = value };
            }

            return root;
        }
    }

    private sealed record ItemSlot(JsonArrayTree Parent, int Index) : Slot
    {
        public override JsonTree Get(JsonTree root) => Parent.Items.Count > Index ? Parent.Items[Index] : root;

        public override JsonTree Set(JsonTree root, JsonTree value)
        {
            if (Parent.Items.Count > Index)
            {
                Parent.Items[Index] = value;
            }

            return root;
        }
    }
}
