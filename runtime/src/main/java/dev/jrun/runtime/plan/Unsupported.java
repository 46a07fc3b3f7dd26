package dev.jrun.runtime.plan;

import static dev.jrun.runtime.plan.Compilation.notBlank;


/** Features jrun does not carry out are refused, never silently dropped (and not claimed by `features`). */
public final class Unsupported {
    private Unsupported() {
    }

    static void refuse(Compilation c) throws PlanException {
        if (c.linux.intelRdt() != null) {
            throw new PlanException("linux.intelRdt: Intel RDT is not supported by jrun");
        }
        if (c.linux.netDevices() != null && !c.linux.netDevices().isEmpty()) {
            throw new PlanException("linux.netDevices: moving network devices into the container is not supported by jrun");
        }
        refuseLabels(c);
        if (notBlank(c.linux.mountLabel()) && !c.ctx.host().selinux()) {
            throw new PlanException("linux.mountLabel: SELinux is not enabled on this host, so the label cannot be applied");
        }
    }

    static void refuseLabels(Compilation c) throws PlanException {
        if (notBlank(c.process.apparmorProfile()) && c.ctx.host().appArmorExecAttr() == null) {
            throw new PlanException("process.apparmorProfile: AppArmor is not enabled on this host, so profile \""
                    + c.process.apparmorProfile() + "\" cannot be applied");
        }
        if (notBlank(c.process.selinuxLabel()) && !c.ctx.host().selinux()) {
            throw new PlanException("process.selinuxLabel: SELinux is not enabled on this host, so the label cannot be applied");
        }
    }
}
