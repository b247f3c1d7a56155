using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>
/// One provider as the CLI reaches it: the environment that points it at the fake server, its wire format,
/// and where its request carries the system prompt. Instances are immutable and shared between tests.
/// </summary>
internal abstract class ProviderCase
{
    /// <summary>The case name shown in test names.</summary>
    public abstract string Name { get; }

    /// <summary>The <c>--provider</c> value.</summary>
    public abstract string Provider { get; }

    /// <summary>The path the chat request must go to.</summary>
    public abstract string ChatPath { get; }

    /// <summary>The API key given in the environment, or <c>null</c> when the case runs without one.</summary>
    public virtual string? Key => null;

    /// <summary>Extra command-line arguments (e.g. a model name).</summary>
    public virtual IReadOnlyList<string> ExtraArgs => [];

    /// <summary>The model the fake server says answered.</summary>
    public abstract string AnsweringModel { get; }

    /// <summary>The usage the fake reports, in our split.</summary>
    public abstract TokenUsage ExpectedUsage { get; }

    /// <summary>The environment variables that point the provider at <paramref name="root"/> (with a trailing slash).</summary>
    public abstract IReadOnlyDictionary<string, string> Env(Uri root);

    /// <summary>A whole model reply in the provider's wire format; <paramref name="stop"/> is ours (<c>stop</c> or <c>length</c>).</summary>
    public abstract FakeResponse Reply(string text, bool stream, string stop = "stop");

    /// <summary>An error reply in the provider's format.</summary>
    public abstract FakeResponse Error(int status, string message, string code);

    /// <summary>The system prompt, read from where this provider carries it (fails when it is elsewhere).</summary>
    public abstract string SystemPrompt(JsonElement body);

    /// <summary>The text of the (last) user message.</summary>
    public abstract string UserPrompt(JsonElement body);

    /// <summary>Whether the request asked for a stream.</summary>
    public static bool AskedToStream(JsonElement body) =>
        body.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;

    /// <summary>Answers fixed endpoints (Ollama's <c>/api/tags</c>); <c>null</c> falls through to the queue.</summary>
    public virtual FakeResponse? Route(RecordedRequest request) => null;

    /// <summary>Splits a reply into small deltas, as a model streams it.</summary>
    public static IReadOnlyList<string> Deltas(string text, int size = 9) =>
        [.. Enumerable.Range(0, (text.Length + size - 1) / size).Select(i => text.Substring(i * size, Math.Min(size, text.Length - i * size)))];

    /// <summary>The text of a message <c>content</c>: a string, or an array of text blocks.</summary>
    public static string ContentText(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray().Select(b => b.GetProperty("text").GetString()));

    /// <summary>Reads the system message and the last user message of a <c>messages</c> array.</summary>
    protected static string MessageText(JsonElement body, string role, bool first)
    {
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        var matching = messages.Where(m => m.GetProperty("role").GetString() == role).ToList();
        Assert.NotEmpty(matching);
        if (first)
        {
            Assert.Equal(role, messages[0].GetProperty("role").GetString());
        }
        return ContentText((first ? matching[0] : matching[^1]).GetProperty("content"));
    }

    public override string ToString() => Name;
}
