"""Shared test helpers: where ../shared lives, and a tiny contract text builder."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_dir(*parts: str) -> Path:
    """A folder of ../shared, or skip the test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present: the shared seeds/gold are only beside the repository in CI "
                    "and on developer machines")
    return path


MINI_CONTRACT = """云服务采购合同

项目名称：测试区云资源租用服务
合同编号：TEST-2030-001

甲方：测试市数据管理中心
法定代表人：王一
住所：测试市中心路1号
联系人：李二
联系电话：13900000001

乙方：星云科技有限公司
法定代表人：赵三
住所：测试市科技路2号
联系人：钱四
联系电话：13900000002
开户行：测试银行科技支行
账号：6222 0000 1111 2222

第一条 服务内容
服务期限：自合同签订之日起 12 个月。
乙方提供的云平台整体可用性应不低于 99.95%，数据可靠性不低于 99.9999%。

序号\t服务项\t单价(元)\t数量\t周期\t合价(元)
1\t云主机 vCPU\t10\t100\t12个月\t12000
2\t云主机 内存\t20\t200\t12个月\t48000
合计\t\t\t\t\t60000

第二条 合同金额
本合同总金额为人民币 60000 元（大写：陆万元整）。

第三条 支付方式
合同签订后 10 个工作日内，甲方向乙方支付合同总金额的 60%，即人民币 36000 元；
服务期满验收合格后，甲方向乙方支付合同总金额的 40%，即人民币 24000 元。

第四条 违约责任
乙方逾期提供服务的，每逾期一日按合同总金额的 0.05% 支付违约金，累计不超过合同总金额的 10%。

甲方（盖章）：                乙方（盖章）：
签订日期：2030年3月5日
"""
