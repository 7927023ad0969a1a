// codejudge-hack: problem=tree-level-averages language=cpp expect=WA
// Returns NaN for every level: NaN matches only an expected NaN, whatever the tolerance.
class Solution {
public:
    vector<double> levelAverages(TreeNode* root) {
        vector<double> result;
        vector<TreeNode*> level;
        if (root) level.push_back(root);
        while (!level.empty()) {
            vector<TreeNode*> next;
            for (TreeNode* n : level) {
                if (n->left) next.push_back(n->left);
                if (n->right) next.push_back(n->right);
            }
            result.push_back(NAN);
            level.swap(next);
        }
        return result;
    }
};
