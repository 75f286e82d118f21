// The protobuf wire table of kube-aggregator's apiregistration.k8s.io/v1 kinds (APIService),
// which the generated table (messages.ts: k8s.io/api, apimachinery, apiextensions-apiserver) does
// not cover. Facts from the Go types' protobuf tags of kube-aggregator v0.33; same format as
// messages.ts.
import type { MessageTable } from "./table.js";

export const AGGREGATOR_MESSAGES: MessageTable = {
  "apiregistration.v1.APIService": [[1,"metadata","meta.v1.ObjectMeta","o"], [2,"spec","apiregistration.v1.APIServiceSpec","o"], [3,"status","apiregistration.v1.APIServiceStatus","o"]],
  "apiregistration.v1.APIServiceCondition": [[1,"type","string",""], [2,"status","string",""], [3,"lastTransitionTime","meta.v1.Time","o"], [4,"reason","string","o"], [5,"message","string","o"]],
  "apiregistration.v1.APIServiceList": [[1,"metadata","meta.v1.ListMeta","o"], [2,"items","apiregistration.v1.APIService","r"]],
  "apiregistration.v1.APIServiceSpec": [[1,"service","apiregistration.v1.ServiceReference","op"], [2,"group","string","o"], [3,"version","string","o"], [4,"insecureSkipTLSVerify","bool","o"], [5,"caBundle","bytes","o"], [7,"groupPriorityMinimum","int32",""], [8,"versionPriority","int32",""]],
  "apiregistration.v1.APIServiceStatus": [[1,"conditions","apiregistration.v1.APIServiceCondition","ro"]],
  "apiregistration.v1.ServiceReference": [[1,"namespace","string","o"], [2,"name","string","o"], [3,"port","int32","op"]],
};

export const AGGREGATOR_KINDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "apiregistration.k8s.io/v1": {
    APIService: "apiregistration.v1.APIService",
    APIServiceList: "apiregistration.v1.APIServiceList",
  },
};
