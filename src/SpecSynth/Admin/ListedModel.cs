namespace SpecSynth;

/// <summary>One model as <c>specsynth models</c> lists it: what the provider serves, joined with the catalog.</summary>
/// <param name="Provider">The provider (<c>claude</c>, <c>openai</c>, <c>ollama</c>).</param>
/// <param name="Id">The model id.</param>
/// <param name="Known">Whether the catalog (or <c>[models."ID"]</c>) knows its limits and prices; <c>false</c>: the numbers
/// are missing and a run plans with conservative guesses.</param>
/// <param name="Served">Whether the provider's own list named it (<c>null</c> when the provider was not asked).</param>
/// <param name="Source">Where the numbers come from: <c>catalog</c>, <c>config</c> (<c>[models."ID"]</c>), <c>provider</c>
/// (Ollama's <c>/api/show</c>) or <c>none</c>.</param>
/// <param name="ContextWindow">The context window in tokens, or <c>null</c> when unknown.</param>
/// <param name="MaxOutputTokens">The largest output in tokens, or <c>null</c> when unknown.</param>
/// <param name="InputPerMillion">USD per million input tokens, or <c>null</c>.</param>
/// <param name="OutputPerMillion">USD per million output tokens, or <c>null</c>.</param>
/// <param name="CacheWritePerMillion">USD per million prompt-cache write tokens, or <c>null</c>.</param>
/// <param name="CacheReadPerMillion">USD per million prompt-cache read tokens, or <c>null</c>.</param>
/// <param name="BatchInputPerMillion">USD per million input tokens through the provider's batch API (half price), or <c>null</c>.</param>
/// <param name="BatchOutputPerMillion">USD per million output tokens through the batch API, or <c>null</c>.</param>
/// <param name="RejectsTemperature">Whether the API refuses any <c>temperature</c> (reasoning models), so none is sent.</param>
/// <param name="UsesMaxCompletionTokens">OpenAI: whether the model takes <c>max_completion_tokens</c> instead of <c>max_tokens</c>.</param>
public sealed record ListedModel(string Provider, string Id, bool Known, bool? Served, string Source, int? ContextWindow, int? MaxOutputTokens,
    decimal? InputPerMillion, decimal? OutputPerMillion, decimal? CacheWritePerMillion, decimal? CacheReadPerMillion,
    decimal? BatchInputPerMillion, decimal? BatchOutputPerMillion, bool RejectsTemperature, bool UsesMaxCompletionTokens)
{
    /// <summary>Azure OpenAI: the model a deployment serves (its limits and prices are that model's unless
    /// <c>[models."DEPLOYMENT"]</c> says otherwise); <c>null</c> elsewhere, and left out of the JSON then.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Model { get; init; }
}
