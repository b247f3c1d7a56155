namespace SpecSynth;

/// <summary>What <see cref="ConversationHistory.Clear"/> deleted.</summary>
/// <param name="Project">The project key: its full path, links resolved.</param>
/// <param name="Spec">The spec key when only one spec's were deleted, else <c>null</c>.</param>
/// <param name="Deleted">How many conversations were deleted.</param>
public sealed record ConversationsCleared(string Project, string? Spec, int Deleted);
