using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>
/// Azure OpenAI through AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY: the deployment's Chat Completions route with an
/// <c>api-version</c> query and the key in <c>api-key</c>. The fake answers 401 (Azure's body) to a request without
/// the key or the version, as Azure does, before any scripted reply is used.
/// </summary>
internal sealed class AzureCase : OpenAICase
{
    public const string Deployment = "specsynth-gpt41";

    public override string Name => "azure";

    public override string Provider => "azure";

    public override string ChatPath => $"/openai/deployments/{Deployment}/chat/completions";

    public override string? Key => "azure-SECRET-key-1f0c9b2e7d";

    public override IReadOnlyList<string> ExtraArgs => ["--model", Deployment];

    public override IReadOnlyDictionary<string, string> Env(Uri root) => new Dictionary<string, string>
    {
        ["AZURE_OPENAI_ENDPOINT"] = root.AbsoluteUri,
        ["AZURE_OPENAI_API_KEY"] = Key!,
    };

    public override FakeResponse? Route(RecordedRequest request) =>
        request.Header("api-key") != Key
            ? FakeResponse.Json("""{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}""", 401)
            : !request.Query.Contains("api-version=", StringComparison.Ordinal)
                ? FakeResponse.Json("""{"error":{"code":"404","message":"Resource not found"}}""", 404)
                : null;
}
