// codejudge-hack: problem=tree-level-averages language=java expect=WA
// Returns +Infinity for every level, hoping that a relative tolerance times infinity accepts
// anything: an infinity matches only the same infinity.
class Solution {
    public List<Double> levelAverages(TreeNode root) {
        List<Double> result = new ArrayList<>();
        List<TreeNode> level = new ArrayList<>();
        if (root != null) level.add(root);
        while (!level.isEmpty()) {
            List<TreeNode> next = new ArrayList<>();
            for (TreeNode n : level) {
                if (n.left != null) next.add(n.left);
                if (n.right != null) next.add(n.right);
            }
            result.add(Double.POSITIVE_INFINITY);
            level = next;
        }
        return result;
    }
}
