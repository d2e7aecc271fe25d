using System.Text.Json;
using System.Text.Json.Serialization;

namespace BudgetActors.ApiHost.Http;

/// <summary>
/// Lists and string-keyed maps of request bodies hold values, never <c>null</c>: a null element
/// (<c>"messages": [null]</c>, <c>"queues": { "etl": null }</c>) is refused while reading, with its
/// place, for every body of the API at once, instead of reaching code that expects a value.
/// </summary>
public sealed class RequiredElementsConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert)
    {
        if (!typeToConvert.IsGenericType)
        {
            return false;
        }

        var definition = typeToConvert.GetGenericTypeDefinition();
        var arguments = typeToConvert.GetGenericArguments();
        return (definition == typeof(List<>) && !arguments[0].IsValueType)
            || (definition == typeof(Dictionary<,>) && arguments[0] == typeof(string) && !arguments[1].IsValueType);
    }

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var arguments = typeToConvert.GetGenericArguments();
        var converter = typeToConvert.GetGenericTypeDefinition() == typeof(List<>)
            ? typeof(ListConverter<>).MakeGenericType(arguments[0])
            : typeof(MapConverter<>).MakeGenericType(arguments[1]);
        return (JsonConverter)Activator.CreateInstance(converter)!;
    }

    /// <summary>One element, refused when null; a failure inside it is reported at its place.</summary>
    private static T ReadElement<T>(ref Utf8JsonReader reader, JsonSerializerOptions options, string place) where T : class
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw new BodyElementException(place, null);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(ref reader, options)!;
        }
        catch (JsonException inner)
        {
            throw new BodyElementException(place, inner);
        }
    }

    private sealed class ListConverter<T> : JsonConverter<List<T>> where T : class
    {
        public override List<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("The JSON value could not be converted to a list (System.Collections.Generic.List).");
            }

            var list = new List<T>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                list.Add(ReadElement<T>(ref reader, options, $"[{list.Count}]"));
            }

            return list;
        }

        public override void Write(Utf8JsonWriter writer, List<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToArray(), options);
    }

    private sealed class MapConverter<T> : JsonConverter<Dictionary<string, T>> where T : class
    {
        public override Dictionary<string, T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("The JSON value could not be converted to an object (System.Collections.Generic.Dictionary).");
            }

            var map = new Dictionary<string, T>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (!map.TryAdd(name, ReadElement<T>(ref reader, options, "." + name)))
                {
                    throw new JsonException($"Duplicate property '{name}'.");
                }
            }

            return map;
        }

        public override void Write(Utf8JsonWriter writer, Dictionary<string, T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, (IDictionary<string, T>)value, options); // not this converter again
    }
}

/// <summary>
/// A list or map element of a body that is null or cannot be read. <see cref="Element"/> is its place
/// below the list or map (<c>[2]</c>, <c>.etl</c>, <c>.etl.cpuSecond</c>), which the serializer's own
/// path, ending at the list or map, does not show.
/// </summary>
public sealed class BodyElementException(string place, JsonException? inner)
    : JsonException(inner is null ? "Required: a value, not null." : inner.Message, inner)
{
    public string Element { get; } = place + Below(inner);

    /// <summary>The reason to give: null, or the inner failure's.</summary>
    public JsonException? Reason => inner is BodyElementException nested ? nested.Reason : inner;

    private static string Below(JsonException? inner) => inner switch
    {
        null => "",
        BodyElementException nested => (nested.Path ?? "$").TrimStart('$') + nested.Element,
        _ => (inner.Path ?? "$").TrimStart('$'),
    };
}
