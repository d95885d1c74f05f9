using Infera.NodeLink;
using Infera.Nodes;

namespace Infera.UnitTests.Support;

/// <summary>An assignment nobody listens to: a way to take a node's slot in a test.</summary>
internal sealed class NullAssignmentSink : IAssignmentSink
{
    public void OnToken(string text)
    {
    }

    public void OnResult(AssignmentResult result)
    {
    }

    public void OnFailed(string error)
    {
    }
}
