using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BudgetActors.ApiHost.Http;

/// <summary>The JSON dialect of the API: camelCase names, kebab-case enum values, numbers as numbers.</summary>
public static class ApiJson
{
    /// <summary>
    /// Strict reading: unknown fields, duplicate keys, numbers in strings, NaN/Infinity and case-folded
    /// names are all errors. Money is read straight into <see cref="decimal"/> from the JSON text.
    /// </summary>
    public static readonly JsonSerializerOptions Strict = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 16,
        Converters = { new RequiredElementsConverterFactory() },
    });

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(ApiJsonContext.Default, new DefaultJsonTypeInfoResolver());
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null; // attribute names are data, kept as sent
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        return options;
    }
}
