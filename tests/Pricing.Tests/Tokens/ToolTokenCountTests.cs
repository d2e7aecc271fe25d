using System.Text.Json;

namespace BudgetActors.Pricing.Tests.Tokens;

/// <summary>Tool definitions: counted with the cookbook's accounting, marked as estimates with a margin, read from every common format.</summary>
public sealed class ToolTokenCountTests
{
    private const string WeatherTool = """
        [{"type":"function","function":{"name":"get_current_weather","description":"Get the current weather in a given location",
          "parameters":{"type":"object","properties":{
             "location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"},
             "unit":{"type":"string","description":"The unit of temperature to return","enum":["celsius","fahrenheit"]}},
          "required":["location"]}}}]
        """;

    private static readonly ChatMessage[] WeatherChat =
    [
        new("system", "You are a helpful assistant that can answer to questions about the weather."),
        new("user", "What's the weather like in San Francisco?"),
    ];

    private static IReadOnlyList<ToolDefinition> Parse(string json) => ToolDefinition.ParseList(JsonDocument.Parse(json).RootElement);

    /// <summary>
    /// The example of OpenAI's cookbook ("How to count tokens with tiktoken", counting tokens for
    /// chat completions with tool calls): its notebook reports 101 prompt tokens for gpt-4o and 105
    /// for gpt-4 / gpt-3.5-turbo, the same as the API's usage for that request.
    /// </summary>
    [Theory]
    [InlineData(TokenEncoding.O200kBase, 101)]
    [InlineData(TokenEncoding.Cl100kBase, 105)]
    public void The_cookbook_example_counts_as_published(TokenEncoding encoding, long expected)
    {
        var spec = encoding == TokenEncoding.O200kBase ? TokenizerSpec.O200kBase : TokenizerSpec.Cl100kBase;
        var estimate = TokenEstimator.CountChat(WeatherChat, spec, Parse(WeatherTool));
        Assert.Equal(expected, estimate.Tokens);
    }

    [Fact]
    public void Tools_make_the_count_an_estimate_with_a_margin_for_their_share()
    {
        var withTools = TokenEstimator.CountChat(WeatherChat, TokenizerSpec.O200kBase, Parse(WeatherTool));
        var without = TokenEstimator.CountChat(WeatherChat, TokenizerSpec.O200kBase);
        Assert.True(without.Exact);
        Assert.False(withTools.Exact);
        // 68 tool tokens × 20% over 101 tokens = 0.1347 → rounded up to 0.14.
        Assert.Equal(68, withTools.Tokens - without.Tokens);
        Assert.Equal(0.14m, withTools.ErrorMargin);
        Assert.Equal(116, withTools.UpperBound); // ceil(101 × 1.14)
    }

    [Fact]
    public void OpenAI_Responses_and_Anthropic_tool_formats_read_the_same()
    {
        var chat = Parse(WeatherTool);
        var responses = Parse("""
            [{"type":"function","name":"get_current_weather","description":"Get the current weather in a given location",
              "parameters":{"type":"object","properties":{
                 "location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"},
                 "unit":{"type":"string","description":"The unit of temperature to return","enum":["celsius","fahrenheit"]}}}}]
            """);
        var anthropic = Parse("""
            [{"name":"get_current_weather","description":"Get the current weather in a given location",
              "input_schema":{"type":"object","properties":{
                 "location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"},
                 "unit":{"type":"string","description":"The unit of temperature to return","enum":["celsius","fahrenheit"]}}}}]
            """);
        var expected = TokenEstimator.CountChat(WeatherChat, TokenizerSpec.O200kBase, chat).Tokens;
        Assert.Equal(expected, TokenEstimator.CountChat(WeatherChat, TokenizerSpec.O200kBase, responses).Tokens);
        Assert.Equal(expected, TokenEstimator.CountChat(WeatherChat, TokenizerSpec.O200kBase, anthropic).Tokens);
    }

    [Fact]
    public void Nested_parameters_are_counted_too()
    {
        var flat = Parse("""[{"name":"f","parameters":{"type":"object","properties":{"filter":{"type":"object"}}}}]""");
        var nested = Parse("""
            [{"name":"f","parameters":{"type":"object","properties":{"filter":{"type":"object",
              "properties":{"owner":{"type":"string","description":"Who owns it"},"tags":{"type":"array","items":{"type":"string"}}}}}}}]
            """);
        var flatCount = TokenEstimator.CountChat([], TokenizerSpec.O200kBase, flat).Tokens;
        Assert.True(TokenEstimator.CountChat([], TokenizerSpec.O200kBase, nested).Tokens > flatCount + 6);
    }

    [Theory]
    [InlineData("""{"name":"f"}""")]
    [InlineData("""[{"description":"no name"}]""")]
    [InlineData("""[42]""")]
    public void Malformed_tool_lists_are_refused(string json) =>
        Assert.Throws<PricingException>(() => Parse(json));
}
