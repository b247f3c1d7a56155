using SpecSynth.History;

namespace SpecSynth;

/// <summary>
/// The stored conversations (<c>generate</c> and <c>generate --continue</c>) in the state folder's <c>history.db</c>: list a
/// project's, read one, delete them. Reading never creates the database: without one there is simply nothing stored.
/// </summary>
/// <param name="timeProvider">The clock (the host's <see cref="TimeProvider"/>, usually <c>TimeProvider.System</c>).</param>
/// <param name="environment">Reads an environment variable (the state folder: <c>SPECSYNTH_HOME</c>, XDG); <c>null</c> for
/// the process environment.</param>
public sealed class ConversationHistory(TimeProvider timeProvider, Func<string, string?>? environment = null)
{
    private readonly TimeProvider _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    /// <summary>The history database (it may not exist yet).</summary>
    public string DatabasePath { get; } = ConversationStore.DefaultPath(environment ?? Environment.GetEnvironmentVariable);

    /// <summary>The conversations of a project, newest first, each with its turns.</summary>
    /// <param name="projectDirectory">The project folder (full path or relative to the current folder).</param>
    /// <param name="specPath">Only the conversations of this spec (full path or relative to the current folder), or
    /// <c>null</c> for all.</param>
    public ConversationList List(string projectDirectory, string? specPath = null)
    {
        var (project, spec) = Keys(projectDirectory, specPath);
        return new ConversationList(project, spec, Open()?.List(project, spec) ?? []);
    }

    /// <summary>One conversation with the text of every turn; <c>null</c> when there is none with that id.</summary>
    /// <param name="id">The conversation id (from <see cref="List"/>).</param>
    public Conversation? Get(long id) => Open()?.Get(id);

    /// <summary>Deletes the conversations of a project (of one spec when given).</summary>
    /// <param name="projectDirectory">The project folder.</param>
    /// <param name="specPath">Only the conversations of this spec, or <c>null</c> for all.</param>
    public ConversationsCleared Clear(string projectDirectory, string? specPath = null)
    {
        var (project, spec) = Keys(projectDirectory, specPath);
        return new ConversationsCleared(project, spec, Open()?.Clear(project, spec) ?? 0);
    }

    /// <summary>The text a turn is sent to the model as (a summary turn with its header).</summary>
    /// <param name="turn">A stored turn.</param>
    public static string TextOf(ConversationTurn turn) => HistoryMessages.Text(turn);

    private static (string Project, string? Spec) Keys(string projectDirectory, string? specPath)
    {
        var project = ProjectKey.Project(projectDirectory);
        return (project, specPath is null ? null : ProjectKey.Spec(project, specPath));
    }

    private ConversationStore? Open() => File.Exists(DatabasePath) ? new ConversationStore(DatabasePath, _time) : null;
}
