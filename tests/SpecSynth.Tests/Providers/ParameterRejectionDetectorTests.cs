using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

public sealed class ParameterRejectionDetectorTests
{
    private static string OpenAIBody(string message, string? code, string? param) =>
        System.Text.Json.JsonSerializer.Serialize(new { error = new { message, type = "invalid_request_error", param, code } });

    private static string AnthropicBody(string message) =>
        System.Text.Json.JsonSerializer.Serialize(new { type = "error", error = new { type = "invalid_request_error", message } });

    [Theory]
    [InlineData("Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.", "unsupported_value", "temperature", "Temperature")]
    [InlineData("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "unsupported_parameter", "max_tokens", "MaxOutputTokens")]
    [InlineData("Unsupported parameter: 'stop' is not supported with this model.", "unsupported_parameter", "stop", "StopSequences")]
    [InlineData("Unsupported parameter: 'top_p' is not supported with this model.", null, null, "TopP")]
    [InlineData("Unsupported value: 'messages[0].role' does not support 'developer' with this model.", "unsupported_value", "messages[0].role", "None")]
    [InlineData("Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 5 instead.", "decimal_above_max_value", "temperature", "None")]
    [InlineData("The model `o9` does not exist or you do not have access to it.", "model_not_found", null, "None")]
    public void OpenAIErrors(string message, string? code, string? param, string expected) =>
        Assert.Equal(expected, ParameterRejectionDetector.Detect("openai", 400, OpenAIBody(message, code, param)).ToString());

    [Theory]
    [InlineData("`temperature` is deprecated for this model.", "Temperature")]
    [InlineData("temperature is not supported for this model", "Temperature")]
    [InlineData("This model does not support assistant message prefill. The conversation must end with a user message.", "Prefill")]
    [InlineData("messages: final assistant content cannot end with trailing whitespace", "Prefill")]
    [InlineData("`temperature` and `top_p` cannot both be specified for this model. Please use only one.", "TopP")]
    [InlineData("max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5", "None")]
    [InlineData("max_tokens is not supported for this model", "None")]
    [InlineData("temperature: Input should be less than or equal to 1", "None")]
    [InlineData("This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.", "None")]
    public void AnthropicErrors(string message, string expected) =>
        Assert.Equal(expected, ParameterRejectionDetector.Detect("claude", 400, AnthropicBody(message)).ToString());

    [Theory]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(null)]
    public void OnlyBadRequestStatuses_CanBeRefusals(int? status) =>
        Assert.Equal(RejectedParameter.None, ParameterRejectionDetector.Detect("claude", status, AnthropicBody("`temperature` is deprecated for this model.")));

    [Fact]
    public void UnknownModelWarning_NamesTheModelAndTheDefaults()
    {
        var warning = ModelCatalog.BuiltIn.UnknownModelWarning("openai", "gpt-9-turbo");

        Assert.Equal("unknown model gpt-9-turbo: using conservative defaults (context 128000, max output 8192)", warning);
        Assert.Null(ModelCatalog.BuiltIn.UnknownModelWarning("claude", "claude-haiku-4-5-20251001"));
        Assert.Null(ModelCatalog.BuiltIn.UnknownModelWarning("ollama", "qwen2.5-coder:7b"));
    }
}
