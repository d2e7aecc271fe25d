using System.Text.Json;

namespace BudgetActors.Pricing;

/// <summary>
/// The versioned LLM price catalog: which models exist, their names, dated prices and tokenizers.
/// Immutable and thread-safe; to replace prices at run time, load a new catalog and swap the reference.
/// </summary>
public sealed class PriceCatalog
{
    /// <summary>Name of the catalog embedded in this assembly (also copied next to it as Catalog/llm-prices.json).</summary>
    public const string EmbeddedResourceName = "BudgetActors.Pricing.Catalog.llm-prices.json";

    private static readonly Lazy<PriceCatalog> Shipped = new(() =>
    {
        using var stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new InvalidOperationException($"The embedded catalog '{EmbeddedResourceName}' is missing from the assembly.");
        return Load(stream);
    });

    private readonly Dictionary<string, ModelPricing> _byName;
    private readonly ModelNames _names;

    private PriceCatalog(CatalogReader.Document document)
    {
        SchemaVersion = document.SchemaVersion;
        Version = document.Version;
        PublishedOn = document.PublishedOn;
        Currency = document.Currency;
        FallbackTokenizer = document.FallbackTokenizer;
        Models = document.Models;
        _names = new ModelNames(document.ProviderPrefixes);
        _byName = new Dictionary<string, ModelPricing>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in Models)
        {
            foreach (var name in model.Names) _byName[name] = model;
        }
    }

    public int SchemaVersion { get; }
    /// <summary>The catalog's own version (catalogVersion in the file).</summary>
    public string Version { get; }
    public DateOnly PublishedOn { get; }
    /// <summary>ISO 4217 code of every price in the catalog. Tenant overrides are in the tenant's currency.</summary>
    public string Currency { get; }
    /// <summary>The tokenizer of models with no known encoding (unknown ones priced by a tenant default, too).</summary>
    public TokenizerSpec FallbackTokenizer { get; }
    public IReadOnlyList<ModelPricing> Models { get; }
    /// <summary>Prefixes taken off a model name that is not found as given (azure/, bedrock/, openrouter/, …).</summary>
    public IReadOnlyList<string> ProviderPrefixes => _names.Prefixes;

    /// <summary>The catalog shipped in this assembly, parsed once.</summary>
    public static PriceCatalog LoadDefault() => Shipped.Value;

    /// <exception cref="PriceCatalogFormatException">The file is not a valid catalog.</exception>
    public static PriceCatalog Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <exception cref="PriceCatalogFormatException">The stream is not a valid catalog.</exception>
    public static PriceCatalog Load(Stream utf8Json)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            return new PriceCatalog(CatalogReader.Read(document.RootElement));
        }
        catch (JsonException e)
        {
            throw new PriceCatalogFormatException($"The price catalog is not valid JSON: {e.Message}", e);
        }
    }

    /// <exception cref="PriceCatalogFormatException">The text is not a valid catalog.</exception>
    public static PriceCatalog Parse(string json) => Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));

    /// <summary>The catalog entry for a model id, alias or prefixed name, or null.</summary>
    public ModelPricing? Find(string model) =>
        _names.Candidates(model).Select(name => _byName.GetValueOrDefault(name)).FirstOrDefault(entry => entry is not null);

    /// <summary>The catalog entry for a model id, alias or prefixed name.</summary>
    /// <exception cref="UnknownModelException">The catalog does not know the model.</exception>
    public ModelPricing Get(string model) => Find(model) ?? throw new UnknownModelException(model, Version);

    /// <summary>
    /// The prices that apply to <paramref name="model"/> at <paramref name="at"/> for a tenant. Order:
    /// a tenant override for the name as given (or with prefixes taken off); then the catalog entry,
    /// unless the tenant overrides it under its id or one of its aliases; then the tenant default;
    /// else the model is unknown.
    /// </summary>
    /// <exception cref="UnknownModelException">Nobody prices the model and the tenant has no default.</exception>
    public PriceResolution Resolve(string model, DateTimeOffset at, PriceOverrides? overrides = null)
    {
        if (string.IsNullOrWhiteSpace(model)) throw new InvalidUsageException("A model name is required.");
        overrides ??= PriceOverrides.None;
        var candidates = _names.Candidates(model).ToList();

        foreach (var name in candidates)
        {
            if (overrides.Find(name) is not { } own) continue;
            var known = Find(name);
            return FromOverride(model, known?.Id ?? name, PriceOrigin.TenantOverride, own, known, at);
        }

        if (Find(model) is { } entry)
        {
            if (entry.Names.Select(overrides.Find).FirstOrDefault(o => o is not null) is { } negotiated)
                return FromOverride(model, entry.Id, PriceOrigin.TenantOverride, negotiated, entry, at);
            return new PriceResolution(model, entry.Id, PriceOrigin.Catalog, entry.PriceAt(at), entry.Tokenizer, entry.UsageShape, entry);
        }

        if (overrides.TenantDefault is { } fallback)
            return FromOverride(model, candidates[0], PriceOrigin.TenantDefault, fallback, null, at);

        throw new UnknownModelException(model, Version);
    }

    private PriceResolution FromOverride(string requested, string id, PriceOrigin origin, ModelOverride own, ModelPricing? known, DateTimeOffset at) =>
        new(requested, id, origin, own.PriceAt(at),
            own.Tokenizer ?? known?.Tokenizer ?? FallbackTokenizer,
            own.UsageShape ?? known?.UsageShape ?? UsageShape.OpenAI,
            known);
}
