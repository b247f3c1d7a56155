using Anthropic;
using Anthropic.Core;

namespace SpecSynth.Providers;

/// <summary>
/// The Anthropic SDK's client with one raw-response client for all its requests (<see cref="AnthropicSdkRawClient"/>): the
/// SDK's own makes every message request through a new one, each with a new <see cref="HttpClient"/> and handler it never
/// uses, although the options it derives for the request are the ones it already has (the timeout is always set here).
/// The options are the ones the SDK's raw client would get: their credential is set (an API key, even an empty one), so the
/// SDK resolves none from the environment or a profile.
/// </summary>
internal sealed class AnthropicSdkClient : AnthropicClient
{
    private readonly ClientOptions rawOptions;
    private AnthropicSdkRawClient? raw;

    public AnthropicSdkClient(ClientOptions options)
        : base(options)
    {
        rawOptions = options;
    }

    public override IAnthropicClientWithRawResponse WithRawResponse =>
        Volatile.Read(ref raw) ?? Interlocked.CompareExchange(ref raw, new AnthropicSdkRawClient(rawOptions), null) ?? raw;
}
