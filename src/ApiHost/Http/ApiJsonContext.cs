using System.Text.Json.Serialization;

namespace BudgetActors.ApiHost.Http;

/// <summary>
/// Compile-time JSON metadata for the bodies and answers of the admission endpoints, the hot paths:
/// no reflection to read or write them. The options (naming, strictness, converters) are still those
/// of <see cref="ApiJson"/>; other types fall back to reflection.
/// </summary>
[JsonSerializable(typeof(CheckBody))]
[JsonSerializable(typeof(ReserveBody))]
[JsonSerializable(typeof(CommitBody))]
[JsonSerializable(typeof(UsageBody))]
[JsonSerializable(typeof(CheckResponse))]
[JsonSerializable(typeof(ReserveResponse))]
[JsonSerializable(typeof(CommitResponse))]
[JsonSerializable(typeof(ReleaseResponse))]
[JsonSerializable(typeof(UsageResponse))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
