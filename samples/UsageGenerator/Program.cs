using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BudgetActors.UsageGenerator;

// Writes days of realistic LLM and job usage, back-dated, to a running API host: what the report,
// trend and forecast of the README's walk-through show. See samples/UsageGenerator/README.md.
if (GeneratorOptions.Parse(args) is not { } options)
{
    return 2;
}

using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
var plan = UsagePlan.For(options, DateTimeOffset.UtcNow).ToList();
Console.WriteLine($"writing {plan.Count} usages over {options.Days} days to tenant {options.Tenant} at {options.Url}");

var written = 0;
var duplicates = 0;
var failures = 0;
var clock = Stopwatch.StartNew();
await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = options.Parallel }, async (usage, cancel) =>
{
    for (var attempt = 1; ; attempt++)
    {
        using var content = new StringContent(usage.Body, Encoding.UTF8, "application/json");
        HttpResponseMessage? response = null;
        try
        {
            response = await http.PostAsync($"/v1/tenants/{options.Tenant}/usage", content, cancel);
            var text = await response.Content.ReadAsStringAsync(cancel);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref text.Contains("\"duplicate\":true", StringComparison.Ordinal) ? ref duplicates : ref written);
                return;
            }

            // 503: storage was out of reach and nothing was recorded: the same key again is safe.
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 5)
            {
                if (Interlocked.Increment(ref failures) <= 5)
                {
                    Console.Error.WriteLine($"{usage.Key}: {(int)response.StatusCode} {text}");
                }

                return;
            }
        }
        catch (HttpRequestException e) when (attempt < 5)
        {
            Console.Error.WriteLine($"{usage.Key}: {e.Message}; trying again");
        }
        finally
        {
            response?.Dispose();
        }

        await Task.Delay(200 * attempt, cancel);
    }
});

Console.WriteLine($"done in {clock.Elapsed.TotalSeconds:0.0} s: {written} recorded, {duplicates} already there, {failures} failed");
return failures == 0 ? 0 : 1;
