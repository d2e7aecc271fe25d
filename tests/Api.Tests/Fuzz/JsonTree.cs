using System.Text;
using System.Text.Json;

namespace BudgetActors.Api.Tests.Fuzz;

/// <summary>
/// A JSON document as the fuzzer edits it. Unlike JsonNode it can hold what a hostile client sends
/// and a parser must refuse: duplicate keys, and scalars kept as raw text (1e400, NaN, -0, 1.0E+12,
/// numbers past decimal and long), so that every value goes on the wire exactly as generated.
/// </summary>
public abstract record JsonTree
{
    public static JsonTree Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return From(document.RootElement);
    }

    private static JsonTree From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new JsonObjectTree([.. element.EnumerateObject().Select(p => new JsonMember(p.Name, From(p.Value)))]),
        JsonValueKind.Array => new JsonArrayTree([.. element.EnumerateArray().Select(From)]),
        _ => new JsonRaw(element.GetRawText()),
    };

    public static JsonRaw String(string value) => new(JsonSerializer.Serialize(value));

    // Sealed, so that the records below write JSON rather than their members.
    public sealed override string ToString()
    {
        var text = new StringBuilder();
        Write(text);
        return text.ToString();
    }

    public abstract void Write(StringBuilder text);

    /// <summary>A deep copy, so that mutating one generated body never touches the template.</summary>
    public abstract JsonTree Copy();
}

/// <summary>A scalar (or any text at all) written as is.</summary>
public sealed record JsonRaw(string Text) : JsonTree
{
    public override void Write(StringBuilder text) => text.Append(Text);

    public override JsonTree Copy() => this;
}

public sealed record JsonMember(string Name, JsonTree Value);

/// <summary>An object whose members keep their order and may repeat a name.</summary>
public sealed record JsonObjectTree(List<JsonMember> Members) : JsonTree
{
    public override void Write(StringBuilder text)
    {
        text.Append('{');
        for (var i = 0; i < Members.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(JsonSerializer.Serialize(Members[i].Name)).Append(':');
            Members[i].Value.Write(text);
        }

        text.Append('}');
    }

    public override JsonTree Copy() => new JsonObjectTree([.. Members.Select(m => new JsonMember(m.Name, m.Value.Copy()))]);
}

public sealed record JsonArrayTree(List<JsonTree> Items) : JsonTree
{
    public override void Write(StringBuilder text)
    {
        text.Append('[');
        for (var i = 0; i < Items.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            Items[i].Write(text);
        }

        text.Append(']');
    }

    public override JsonTree Copy() => new JsonArrayTree([.. Items.Select(i => i.Copy())]);
}
