using SpecSynth.History;

namespace SpecSynth;

/// <summary>The stored conversations of a project (<see cref="ConversationHistory.List"/>).</summary>
/// <param name="Project">The project key: its full path, links resolved.</param>
/// <param name="Spec">The spec key (relative to the project, '/'-separated) when only one spec's were asked for, else <c>null</c>.</param>
/// <param name="Conversations">Newest first, each with its turns.</param>
public sealed record ConversationList(string Project, string? Spec, IReadOnlyList<Conversation> Conversations);
