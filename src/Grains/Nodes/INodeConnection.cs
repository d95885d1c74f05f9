using Infera.NodeLink;

namespace Infera.Nodes;

/// <summary>The live link to one agent. Sends are serialized by the implementation.</summary>
public interface INodeConnection
{
    /// <summary>The remote IP address, for subnet diversity; null when unknown.</summary>
    string? RemoteAddress { get; }

    ValueTask SendAsync(NodeLinkMessage message, CancellationToken cancellationToken);

    /// <summary>Closes the link; the node goes offline.</summary>
    void Abort(string reason);
}

/// <summary>Receives what a node reports for one assignment. A job implements it for each of its assignments.</summary>
public interface IAssignmentSink
{
    void OnToken(string text);

    void OnResult(AssignmentResult result);

    void OnFailed(string error);
}
