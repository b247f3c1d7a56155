namespace SpecSynth.Specs;

/// <summary>One item of a task checklist (<c>- [ ] T001 [P] Do X</c>, <c>- [x] 2. Title</c>): work to do, kept apart from requirements.</summary>
/// <param name="Id">Its id (<c>T001</c>, <c>2</c>, <c>2.1</c>) when it has one, else <c>null</c>.</param>
/// <param name="Text">The task text without the checkbox and id.</param>
/// <param name="Done">True when it is checked (<c>[x]</c>).</param>
/// <param name="Section">The heading it was found under.</param>
/// <param name="Line">The 1-based line where it starts.</param>
public sealed record SpecTask(string? Id, string Text, bool Done, string Section, int Line);
