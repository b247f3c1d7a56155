using Microsoft.Extensions.AI;
using SpecSynth.Prompting;

namespace SpecSynth.History;

/// <summary>Turns a stored conversation into chat messages, and a generate prompt into its continuation: the system
/// message, then the earlier turns, then the generate request (current project and spec) with the new instruction
/// appended as its last content.</summary>
internal static class HistoryMessages
{
    /// <summary>The header a summary turn is sent with.</summary>
    public const string SummaryHeader = "Summary of the earlier conversation (older turns were compacted):";

    /// <summary>Tokens counted for each message on top of its text (role and framing).</summary>
    public const int PerMessageOverhead = 8;

    /// <summary>The text a turn is sent as.</summary>
    public static string Text(ConversationTurn turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        return turn.IsSummary ? SummaryHeader + "\n" + turn.Text : turn.Text;
    }

    /// <summary>The message a turn is sent as (a summary is sent as a user message).</summary>
    public static ChatMessage Message(ConversationTurn turn) =>
        new(turn.IsSummary || turn.Role == TurnRole.User ? ChatRole.User : ChatRole.Assistant, Text(turn));

    /// <summary>What the turns cost as messages.</summary>
    public static int Cost(IEnumerable<ConversationTurn> turns, Context.ITokenCounter counter)
    {
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(counter);
        return turns.Sum(t => counter.Count(Text(t)) + PerMessageOverhead);
    }

    /// <summary>The instruction block appended to the generate request of a continuation.</summary>
    public static string InstructionBlock(string instruction)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instruction);
        return "\n\n## Instruction\nThis continues the conversation above; the files it wrote are shown above as they are now. " +
            "Apply the instruction below to them, keeping everything else of the specification as it is. Return every new or " +
            "changed file in full, in the output format above.\n<instruction>\n" +
            TemplateRenderer.EscapeData(instruction.Trim(), "instruction") + "\n</instruction>";
    }

    /// <summary>The continuation of <paramref name="prompt"/>: its system message(s), the earlier turns, then its
    /// request with the instruction appended (the request's contents and their cache marks are kept).</summary>
    public static ChatPrompt Continue(ChatPrompt prompt, IReadOnlyList<ConversationTurn> earlier, string instruction)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(earlier);
        var system = prompt.Messages.TakeWhile(m => m.Role == ChatRole.System).ToList();
        var rest = prompt.Messages.Skip(system.Count).ToList();
        if (rest.Count == 0 || rest[^1].Role != ChatRole.User)
        {
            throw new ArgumentException("The prompt has no request to continue.", nameof(prompt));
        }
        var request = rest[^1];
        var amended = new ChatMessage(ChatRole.User, [.. request.Contents, new TextContent(InstructionBlock(instruction))])
        {
            AdditionalProperties = request.AdditionalProperties,
        };
        return new ChatPrompt([.. system, .. earlier.Select(Message), .. rest[..^1], amended], prompt.TemplateVersion);
    }
}
