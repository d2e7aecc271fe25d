using System.Net;
using System.Text.Json.Nodes;

namespace BudgetActors.Durability.Tests.Infrastructure;

/// <summary>The assertion the tests make on most calls: this status, or the test fails with the processes' output.</summary>
public static class ApiExpectations
{
    private static readonly TimeSpan StorageRetryWindow = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sends the request and fails the test, with the processes' output, unless the status is
    /// <paramref name="expected"/>. A 503 is retried, as the contract tells clients to: it means that
    /// storage could not be reached and nothing was recorded (the first use of a pooled connection
    /// that a database restart broke answers so too).
    /// </summary>
    public static async Task<JsonNode> ExpectAsync(this ApiClient api, HttpStatusCode expected, HttpMethod method, string path, string key, string? json = null)
    {
        var deadline = DateTime.UtcNow + StorageRetryWindow;
        var answer = await api.SendAsync(method, path, key, json);
        while (answer.Status == HttpStatusCode.ServiceUnavailable && expected != HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            answer = await api.SendAsync(method, path, key, json);
        }

        if (answer.Status != expected)
        {
            Assert.Fail($"{method} {path} answered {answer}, expected {(int)expected}.{Environment.NewLine}{api.Diagnostics()}");
        }

        return answer.Json;
    }
}
