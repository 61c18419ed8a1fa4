// Our pause program (main.go): the sandbox image of the real nodes.
module cdk8s-voting-app/tools/nodes/pause

go 1.24.0
