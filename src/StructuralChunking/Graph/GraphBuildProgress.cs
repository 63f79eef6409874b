namespace StructuralChunking.Graph;

/// <summary>Progress of a front end building a <see cref="CodeGraph"/>, reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Stage">What is happening: <c>load</c>, <c>parse</c>, <c>bind</c>, <c>graph</c>.</param>
/// <param name="Completed">Items done in this stage.</param>
/// <param name="Total">Items in this stage, or 0 when unknown.</param>
/// <param name="Item">The item just finished (a project or file path), if any.</param>
public sealed record GraphBuildProgress(string Stage, int Completed, int Total, string? Item = null);
