using System.Text.Json;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>
/// The Anthropic SDK 13.x dropped <c>temperature</c> from <see cref="MessageCreateParams"/>, and its chat
/// adapter ignores <see cref="ChatOptions.Temperature"/>. When one is configured we start the request from raw
/// parameters that carry it; the adapter fills in everything else.
/// </summary>
internal static class AnthropicTemperature
{
    public static void Apply(ChatOptions options, string model, int maxTokens)
    {
        if (options.Temperature is not { } temperature || options.RawRepresentationFactory is not null)
        {
            return;
        }
        var none = new Dictionary<string, JsonElement>();
        var body = new Dictionary<string, JsonElement>
        {
            ["model"] = JsonSerializer.SerializeToElement(options.ModelId ?? model),
            ["max_tokens"] = JsonSerializer.SerializeToElement(options.MaxOutputTokens ?? maxTokens),
            ["messages"] = JsonSerializer.SerializeToElement(Array.Empty<object>()),
            ["temperature"] = JsonSerializer.SerializeToElement(Math.Round((double)temperature, 4)),
        };
        options.RawRepresentationFactory = _ => MessageCreateParams.FromRawUnchecked(none, none, body);
    }
}
