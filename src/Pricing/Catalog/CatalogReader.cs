using System.Text.Json;

namespace BudgetActors.Pricing;

/// <summary>Parses and validates the catalog document (format described in src/Pricing/README.md).</summary>
internal static class CatalogReader
{
    public const int SupportedSchemaVersion = 1;

    public sealed record Document(
        int SchemaVersion,
        string Version,
        DateOnly PublishedOn,
        string Currency,
        TokenizerSpec FallbackTokenizer,
        IReadOnlyList<string> ProviderPrefixes,
        IReadOnlyList<ModelPricing> Models);

    private sealed record Provider(UsageShape UsageShape, decimal? CharsPerToken);

    public static Document Read(JsonElement root)
    {
        var top = JsonFields.Object(root, "$");
        top.AllowOnly("schemaVersion", "catalogVersion", "publishedOn", "currency", "unit", "notice",
            "fallbackTokenizer", "providerPrefixes", "providers", "models");

        var schemaVersion = top.OptionalLong("schemaVersion") ?? throw JsonFields.Bad(top.At("schemaVersion"), "is required");
        if (schemaVersion != SupportedSchemaVersion)
            throw JsonFields.Bad(top.At("schemaVersion"), $"version {schemaVersion} is not supported (this library reads {SupportedSchemaVersion})");
        var currency = top.RequiredString("currency");
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            throw JsonFields.Bad(top.At("currency"), "expected an ISO 4217 code such as USD");

        var fallback = ReadFallback(JsonFields.Object(top.Required("fallbackTokenizer"), top.At("fallbackTokenizer")));
        var prefixes = top.Array("providerPrefixes").Select(p => ReadName(p.Item, p.Path)).ToList();
        var providers = ReadProviders(JsonFields.Object(top.Required("providers"), top.At("providers")));
        var models = top.Array("models").Select(m => ReadModel(JsonFields.Object(m.Item, m.Path), providers, fallback)).ToList();
        if (models.Count == 0) throw JsonFields.Bad(top.At("models"), "the catalog has no models");
        EnsureNamesUnique(models);

        return new Document((int)schemaVersion, top.RequiredString("catalogVersion"), top.RequiredDate("publishedOn"),
            currency, fallback, prefixes, models);
    }

    public static TokenizerSpec ReadFallback(JsonFields block)
    {
        block.AllowOnly("charsPerToken", "errorMargin");
        var ratio = block.RequiredDecimal("charsPerToken");
        var margin = block.RequiredDecimal("errorMargin");
        if (ratio <= 0) throw JsonFields.Bad(block.At("charsPerToken"), "must be positive");
        if (margin < 0) throw JsonFields.Bad(block.At("errorMargin"), "must not be negative");
        return TokenizerSpec.Fallback(ratio, margin);
    }

    private static Dictionary<string, Provider> ReadProviders(JsonFields block)
    {
        var providers = new Dictionary<string, Provider>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in block.Element.EnumerateObject().Where(p => !p.Name.StartsWith('$')))
        {
            var provider = JsonFields.Object(property.Value, block.At(property.Name));
            provider.AllowOnly("usageShape", "charsPerToken", "pricingPage");
            var ratio = provider.OptionalDecimal("charsPerToken");
            if (ratio <= 0) throw JsonFields.Bad(provider.At("charsPerToken"), "must be positive");
            providers[property.Name] = new Provider(ReadShape(provider) ?? UsageShape.OpenAI, ratio);
        }
        return providers;
    }

    private static ModelPricing ReadModel(JsonFields model, Dictionary<string, Provider> providers, TokenizerSpec fallback)
    {
        model.AllowOnly("id", "provider", "aliases", "encoding", "charsPerToken", "usageShape", "prices", "note");
        var id = ReadName(model.Required("id"), model.At("id"));
        var providerName = model.RequiredString("provider");
        if (!providers.TryGetValue(providerName, out var provider))
            throw JsonFields.Bad(model.At("provider"), $"'{providerName}' is not listed under $.providers");

        var aliases = model.Array("aliases").Select(a => ReadName(a.Item, a.Path)).ToList();
        var tokenizer = ReadTokenizer(model, fallback, provider.CharsPerToken) ?? fallback with { CharsPerToken = provider.CharsPerToken ?? fallback.CharsPerToken };
        var prices = ReadPrices(model, requireProvenance: true) ?? throw JsonFields.Bad(model.At("prices"), "is required");
        return new ModelPricing(id, providerName, aliases, tokenizer, ReadShape(model) ?? provider.UsageShape, prices);
    }

    /// <summary>The model's tokenizer when the block names one, else null (the caller picks the fallback).</summary>
    public static TokenizerSpec? ReadTokenizer(JsonFields block, TokenizerSpec fallback, decimal? providerRatio)
    {
        var encoding = block.OptionalString("encoding");
        var ratio = block.OptionalDecimal("charsPerToken");
        if (ratio <= 0) throw JsonFields.Bad(block.At("charsPerToken"), "must be positive");
        return encoding switch
        {
            "o200k_base" => TokenizerSpec.O200kBase,
            "cl100k_base" => TokenizerSpec.Cl100kBase,
            "none" => fallback with { CharsPerToken = ratio ?? providerRatio ?? fallback.CharsPerToken },
            null when ratio is not null => fallback with { CharsPerToken = ratio.Value },
            null => null,
            _ => throw JsonFields.Bad(block.At("encoding"), "expected o200k_base, cl100k_base or none"),
        };
    }

    public static UsageShape? ReadShape(JsonFields block) => block.OptionalString("usageShape") switch
    {
        null => null,
        "openai" => UsageShape.OpenAI,
        "anthropic" => UsageShape.Anthropic,
        "gemini" => UsageShape.Gemini,
        _ => throw JsonFields.Bad(block.At("usageShape"), "expected openai, anthropic or gemini"),
    };

    /// <summary>The dated entries under "prices", oldest first; null when the block has none.</summary>
    public static IReadOnlyList<PriceSheet>? ReadPrices(JsonFields block, bool requireProvenance)
    {
        if (!block.Has("prices")) return null;
        var sheets = block.Array("prices").Select(p => PriceSheetReader.Read(p.Item, p.Path, requireProvenance))
            .OrderBy(s => s.EffectiveFrom).ToList();
        if (sheets.Count == 0) throw JsonFields.Bad(block.At("prices"), "needs at least one price entry");
        for (var i = 1; i < sheets.Count; i++)
        {
            if (sheets[i].EffectiveFrom == sheets[i - 1].EffectiveFrom)
                throw JsonFields.Bad(block.At("prices"), $"two entries take effect on {sheets[i].EffectiveFrom:yyyy-MM-dd}");
        }
        return sheets;
    }

    private static string ReadName(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String && element.GetString() is { } name && name.Trim() is { Length: > 0 } trimmed && trimmed == name
            ? name
            : throw JsonFields.Bad(path, "expected a non-empty name without surrounding spaces");

    private static void EnsureNamesUnique(IEnumerable<ModelPricing> models)
    {
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in models)
        {
            foreach (var name in model.Names)
            {
                if (owners.TryGetValue(name, out var owner))
                    throw new PriceCatalogFormatException($"$.models: the name '{name}' of '{model.Id}' is already used by '{owner}'.");
                owners[name] = model.Id;
            }
        }
    }
}
