// Wrapper module: hashicorp/http-echo v1.0.0, the program of the hashicorp/http-echo image.
module cdk8s-voting-app/tools/nodes/http-echo

go 1.24.0

tool github.com/hashicorp/http-echo

require github.com/hashicorp/http-echo v1.0.0 // indirect
