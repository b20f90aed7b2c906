"use client";
// A read-only picture of a generated graph, drawn with the editor's own node components and the
// one graph ↔ React Flow mapping, so the preview looks exactly like what "Use this" will open.
import "@xyflow/react/dist/style.css";
import { Background, ReactFlow, ReactFlowProvider } from "@xyflow/react";
import { useMemo } from "react";
import type { CatalogEntry, WorkflowGraph } from "@/features/workflow-editor/api-types";
import { CatalogContext, catalogMap } from "@/features/workflow-editor/catalog-context";
import { graphToFlow } from "@/features/workflow-editor/graph-mapping";
import { nodeTypes } from "@/features/workflow-editor/workflow-nodes";

const FIT_VIEW_OPTIONS = { padding: 0.15, maxZoom: 1 };

export function GraphPreview({ graph, catalog }: { graph: WorkflowGraph; catalog: readonly CatalogEntry[] }) {
  const entries = useMemo(() => catalogMap(catalog), [catalog]);
  const flow = useMemo(() => graphToFlow(graph, (type) => entries.get(type)?.kind), [graph, entries]);
  return (
    <ReactFlowProvider>
      <CatalogContext.Provider value={entries}>
        <div className="ai-preview-canvas" data-testid="generate-preview-canvas">
          <ReactFlow
            nodes={flow.nodes}
            edges={flow.edges}
            nodeTypes={nodeTypes}
            fitView
            fitViewOptions={FIT_VIEW_OPTIONS}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            zoomOnScroll={false}
            preventScrolling={false}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={20} size={1} />
          </ReactFlow>
        </div>
      </CatalogContext.Provider>
    </ReactFlowProvider>
  );
}
